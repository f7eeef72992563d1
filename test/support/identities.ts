// Tokens for test identities, minted with the app's own signer.
import { issueToken, type Identity } from '@/src/auth/tokens.ts';

export async function tokenFor(identity: Identity): Promise<string> {
  return (await issueToken(identity)).token;
}

/** An admin that need not exist in the database: the API decides from the token alone. */
export const adminToken = () => tokenFor({ id: 2_000_000_000, role: 'admin' });
