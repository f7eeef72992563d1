// Tokens for the proof suite: ones the server accepts (minted with its secret) and the ways a client gets them wrong.
import { claims, epochSeconds, signed, unsigned, withPayload, withTamperedSignature } from '../forged-tokens.ts';
import { sharedAdmin } from '../over-http/server-admin.ts';
import { SERVER_JWT_SECRET, serverToken } from '../over-http/server-settings.ts';

/** The token of this file's shared admin of the server (sharedAdmin): writes are authorised by its database. */
export const sharedAdminToken = async () => (await sharedAdmin()).token;
export const userToken = (id: number) => serverToken({ id, role: 'user' });

export interface TokenSet {
  admin: string;
  user: string;
  expired: string;
  wrongSecret: string;
  algNone: string;
  tampered: string;
  roleSwapped: string;
  unknownRole: string;
  noExp: string;
  /** Valid signature, but longer than the 4 KB the server reads. */
  oversized: string;
}

/** Every kind of token, the user ones for `userId`. */
export async function tokenSet(userId: number): Promise<TokenSet> {
  const now = epochSeconds();
  const user = await userToken(userId);
  const base = claims({ sub: String(userId), role: 'user' }, now);
  return {
    admin: await sharedAdminToken(),
    user,
    expired: await signed(claims({ sub: String(userId), iat: now - 7200, exp: now - 3600 }), SERVER_JWT_SECRET),
    wrongSecret: await signed(base, 'not-the-server-secret-0123456789abcdefghijklmnop'),
    algNone: unsigned(claims({ sub: String(userId), role: 'admin' }, now)),
    tampered: withTamperedSignature(user),
    roleSwapped: withPayload(user, claims({ sub: String(userId), role: 'admin' }, now)),
    unknownRole: await signed(claims({ sub: String(userId), role: 'superuser' }, now), SERVER_JWT_SECRET),
    noExp: await signed(claims({ sub: String(userId), exp: undefined }, now), SERVER_JWT_SECRET),
    oversized: await signed(claims({ sub: String(userId), pad: 'x'.repeat(4200) }, now), SERVER_JWT_SECRET),
  };
}
