// Refresh tokens: `<session id>.<generation>.<secret>.<tag>`. The database keeps only the SHA-256 of the
// current generation's secret; the tag (an HMAC under a key of its own, derived from JWT_SECRET) proves that an older
// generation was really issued by us, so presenting one is reuse (and revokes the session) rather than noise.
import { base64url } from 'jose';
import { equalInConstantTime, macOf } from './keys.ts';
import { isSessionId } from './tokens.ts';

const SECRET_BYTES = 24;
const TAG_BYTES = 16;
/** Longer values are refused before any parsing. */
export const MAX_REFRESH_TOKEN_LENGTH = 200;

export interface RefreshToken {
  sessionId: string;
  generation: number;
  secret: string;
}

const encoder = new TextEncoder();

const tagOf = (body: string) => macOf('refreshTag', body, TAG_BYTES);

/** What the database stores for a secret. */
export async function hashSecret(secret: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(secret))));
}

/** A new refresh token for a session's generation, and the hash to store for it. */
export async function mintRefreshToken(sessionId: string, generation: number) {
  const secret = base64url.encode(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
  const body = `${sessionId}.${generation}.${secret}`;
  return { token: `${body}.${await tagOf(body)}`, hash: await hashSecret(secret) };
}

/** The parts of a refresh token we issued, or undefined for anything else (wrong shape or tag). */
export async function readRefreshToken(token: unknown): Promise<RefreshToken | undefined> {
  if (typeof token !== 'string' || token.length > MAX_REFRESH_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [sessionId, generation, secret, tag] = parts as [string, string, string, string];
  if (!isSessionId(sessionId) || !/^(0|[1-9][0-9]{0,8})$/.test(generation)) return undefined;
  const expected = await tagOf(`${sessionId}.${generation}.${secret}`);
  if (!equalInConstantTime(expected, tag)) return undefined;
  return { sessionId, generation: Number(generation), secret };
}
