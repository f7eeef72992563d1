// Our access tokens: what issueToken signs, and what verifyToken accepts, at a frozen time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import '@/test/support/in-process/database.ts';
import { issueToken, MAX_TOKEN_LENGTH, missingToken, verifyToken, invalidToken } from '@/src/auth/tokens.ts';
import { Problem, problemResponse } from '@/src/http/problem.ts';
import { claims, epochSeconds, FORGED_SESSION_ID, signed } from '@/test/support/forged-tokens.ts';

const SID = '7a1e5a3c-0f4b-4c1d-9e2a-6b8c0d1e2f3a';
import { expectProblem } from '@/test/support/problems.ts';

const SECRET = process.env.JWT_SECRET!;
/** A fixed instant with milliseconds, to show that iat is whole seconds, rounded down. */
const NOW = new Date('2030-06-01T12:00:00.750Z');
const NOW_SECONDS = epochSeconds(NOW.getTime());

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** What verifyToken threw, expected to be a 401 Problem. */
async function refusal(token: string, verify = verifyToken): Promise<Problem> {
  const thrown = await verify(token).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(Error);
  expect((thrown as Problem).status).toBe(401);
  return thrown as Problem;
}

describe('issueToken', () => {
  it('signs with HS256 under the header { alg: HS256, typ: JWT } and nothing else', async () => {
    const { token } = await issueToken({ id: 7, role: 'admin', sessionId: SID });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('claims sub as a string, role, sid, iss, aud, iat and exp = iat + 300 by default', async () => {
    const { token, expiresAt } = await issueToken({ id: 7, role: 'admin', sessionId: SID });
    expect(decodeJwt(token)).toEqual({
      sub: '7',
      role: 'admin',
      sid: SID,
      iss: 'edge-users-api',
      aud: 'edge-users-api',
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 300,
    });
    expect(expiresAt).toEqual(new Date((NOW_SECONDS + 300) * 1000));
  });

  it('takes the issuing time from `now` when given', async () => {
    const at = new Date('2031-01-01T00:00:00Z');
    const { token, expiresAt } = await issueToken({ id: 7, role: 'user', sessionId: SID }, at);
    expect(decodeJwt(token)).toMatchObject({ iat: epochSeconds(at.getTime()), exp: epochSeconds(at.getTime()) + 300 });
    expect(expiresAt).toEqual(new Date(at.getTime() + 300 * 1000));
  });

  it('uses ACCESS_TOKEN_TTL_SECONDS, JWT_ISSUER and JWT_AUDIENCE when set', async () => {
    vi.stubEnv('ACCESS_TOKEN_TTL_SECONDS', '120');
    vi.stubEnv('JWT_ISSUER', 'https://issuer.example');
    vi.stubEnv('JWT_AUDIENCE', 'https://api.example');
    vi.resetModules();
    const configured = await import('@/src/auth/tokens.ts');
    const { token } = await configured.issueToken({ id: 7, role: 'user', sessionId: SID });
    expect(decodeJwt(token)).toMatchObject({
      iss: 'https://issuer.example',
      aud: 'https://api.example',
      exp: NOW_SECONDS + 120,
    });
    await expect(configured.verifyToken(token)).resolves.toEqual({ id: 7, role: 'user', sessionId: SID });
    // A token for the default issuer and audience is not one for this configuration.
    await refusal((await issueToken({ id: 7, role: 'user', sessionId: SID })).token, configured.verifyToken);
  });
});

describe('verifyToken', () => {
  it('returns the identity issueToken signed', async () => {
    const { token } = await issueToken({ id: 7, role: 'admin', sessionId: SID });
    await expect(verifyToken(token)).resolves.toEqual({ id: 7, role: 'admin', sessionId: SID });
  });

  it('accepts a token for up to 5 s after it expires (clock tolerance), and refuses it from then on', async () => {
    const { token, expiresAt } = await issueToken({ id: 7, role: 'user', sessionId: SID });
    vi.setSystemTime(expiresAt.getTime() + 4_999);
    await expect(verifyToken(token)).resolves.toEqual({ id: 7, role: 'user', sessionId: SID });
    vi.setSystemTime(expiresAt.getTime() + 5_000);
    const problem = await refusal(token);
    expect(problem.code).toBe('token_expired');
    // Signing out still reads an expired token, its signature checked.
    await expect(verifyToken(token, { ignoreExpiry: true })).resolves.toEqual({ id: 7, role: 'user', sessionId: SID });
  });

  it('refuses one of our tokens that names no session, or not a UUID', async () => {
    for (const sid of [undefined, 'abc', 42, SID.toUpperCase(), `${SID}x`]) {
      const problem = await refusal(await signed(claims({ sid }, NOW_SECONDS), SECRET));
      expect(problem.message).toMatch(/no valid session/);
    }
  });

  it('refuses a token signed with another JWT_SECRET', async () => {
    vi.stubEnv('JWT_SECRET', 'a-different-secret-at-least-32-bytes-long');
    vi.resetModules();
    const other = await import('@/src/auth/tokens.ts');
    await refusal((await other.issueToken({ id: 7, role: 'user', sessionId: SID })).token);
  });

  it('refuses with a 401 problem that carries the invalid_token challenge', async () => {
    const problem = await refusal('abc');
    expect(problem).toBeInstanceOf(Problem);
    expect(problem.headers).toEqual({ 'www-authenticate': 'Bearer error="invalid_token"' });
    const response = problemResponse(problem);
    const body = await expectProblem(response, 401);
    expect(body).toEqual({
      type: '/docs#problem-invalid_token',
      title: 'Unauthorized',
      status: 401,
      code: 'invalid_token',
      detail: 'The access token is invalid or expired.',
    });
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it(`accepts a token of exactly ${MAX_TOKEN_LENGTH} characters and refuses one of ${MAX_TOKEN_LENGTH + 1}`, async () => {
    const tokenOfLength = async (length: number) => {
      for (let padding = Math.floor(((length - 400) * 3) / 4); padding <= length; padding++) {
        const token = await signed(claims({ pad: 'x'.repeat(padding) }, NOW_SECONDS), SECRET);
        if (token.length === length) return token;
        if (token.length > length) break;
      }
      throw new Error(`no token of ${length} characters`);
    };
    await expect(verifyToken(await tokenOfLength(MAX_TOKEN_LENGTH))).resolves.toEqual({
      id: 42,
      role: 'user',
      sessionId: FORGED_SESSION_ID,
    });
    const problem = await refusal(await tokenOfLength(MAX_TOKEN_LENGTH + 1));
    expect(problem.message).toMatch(/too long/);
  });

  it("verifies a token whose last character differs only in base64url's unused bits as the same token", async () => {
    const { token } = await issueToken({ id: 7, role: 'user', sessionId: SID });
    // An HMAC-SHA256 signature is 32 bytes: 43 characters, the last carrying 4 bits and 2 unused ones.
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = ALPHABET.indexOf(token.at(-1)!);
    const twin = token.slice(0, -1) + ALPHABET[last ^ 1];
    expect(twin).not.toBe(token);
    await expect(verifyToken(twin)).resolves.toEqual({ id: 7, role: 'user', sessionId: SID });
  });

  it('refuses any string that is not a token with a 401 problem, never another error', async () => {
    const valid = (await issueToken({ id: 7, role: 'user', sessionId: SID })).token;
    const mutated = fc
      .tuple(fc.nat(valid.length - 1), fc.string({ minLength: 1, maxLength: 3 }))
      .map(([at, text]) => valid.slice(0, at) + text + valid.slice(at + 1));
    const segments = fc
      .array(
        fc.base64String({ maxLength: 60 }).map((text) => text.replace(/=+$/, '')),
        { minLength: 1, maxLength: 5 },
      )
      .map((parts) => parts.join('.'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), segments, mutated), async (token) => {
        fc.pre(token !== valid);
        const outcome = await verifyToken(token).then(
          (identity) => identity,
          (error: unknown) => error,
        );
        // A mutation may leave the token's meaning intact (e.g. padding bits of base64url); then it verifies as itself.
        // (No `return expect(…)`: fast-check takes any returned value but true or undefined for a failure.)
        if (!(outcome instanceof Error)) {
          expect(outcome).toEqual({ id: 7, role: 'user', sessionId: SID });
          return;
        }
        expect(outcome).toBeInstanceOf(Problem);
        expect((outcome as Problem).status).toBe(401);
      }),
      { numRuns: 300 },
    );
  });
});

describe('challenges', () => {
  it('names a missing token with a bare Bearer challenge (RFC 6750 §3)', async () => {
    const response = problemResponse(missingToken('Sign in first.'));
    expect((await expectProblem(response, 401)).code).toBe('missing_token');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('names a bad token with error="invalid_token"', async () => {
    const response = problemResponse(invalidToken('Nope.'));
    expect((await expectProblem(response, 401)).detail).toBe('Nope.');
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });
});
