// Tokens from an identity provider, verified against its JWKS (JWT_JWKS_URL) next to our own HS256 tokens.
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { errors, exportSPKI, generateKeyPair, importJWK, jwtVerify, exportJWK, type JWK } from 'jose';
import { NextRequest } from 'next/server';
import '@/test/support/in-process/database.ts';
import { gate } from '@/src/auth/gate.ts';
import { Problem } from '@/src/http/problem.ts';
import { verifyToken } from '@/src/auth/tokens.ts';
import { claims, handSigned, signed, unsigned, withHeader } from '@/test/support/forged-tokens.ts';
import { tokenFor } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';

const { url: jwksUrl, rsPrivateJwk, esPrivateJwk, rsPublicJwk } = inject('jwks');
// Settings are read on first use, after this line.
process.env.JWT_JWKS_URL = jwksUrl;

afterAll(() => {
  delete process.env.JWT_JWKS_URL;
});

const RS_KID = rsPrivateJwk.kid!;
const ES_KID = esPrivateJwk.kid!;

const rsKey = () => importJWK(rsPrivateJwk, 'RS256');
const esKey = () => importJWK(esPrivateJwk, 'ES256');
/** The identity provider's public RSA key, as anyone may fetch it from the JWKS. */
const rsPublicKey = async () => (await importJWK(rsPublicJwk, 'RS256')) as CryptoKey;
const attackerKeys = () => generateKeyPair('RS256', { extractable: true });

const fromIdentityProvider = async (alg: 'RS256' | 'ES256', overrides = {}, header = {}) =>
  signed(claims(overrides), alg === 'RS256' ? await rsKey() : await esKey(), {
    alg,
    typ: 'JWT',
    kid: alg === 'RS256' ? RS_KID : ES_KID,
    ...header,
  });

function call(token: string) {
  return gate(new NextRequest('http://localhost:3000/api/users', { headers: { authorization: `Bearer ${token}` } }));
}

async function expectAccepted(token: string, id: string, role: string) {
  const response = await call(token);
  expect(response.status).toBe(200);
  expect(response.headers.get('x-middleware-request-x-user-id')).toBe(id);
  expect(response.headers.get('x-middleware-request-x-user-role')).toBe(role);
}

async function expectRejected(token: string) {
  const response = await call(token);
  await expectProblem(response, 401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  // The same token straight to the verifier: a 401 Problem, never a TypeError or any other throw.
  const thrown = await verifyToken(token).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(Problem);
  expect((thrown as Problem).status).toBe(401);
}

describe('tokens from the JWKS', () => {
  it('accepts a valid RS256 token from the identity provider', async () => {
    await expectAccepted(await fromIdentityProvider('RS256', { sub: '501', role: 'admin' }), '501', 'admin');
  });

  it('accepts a valid ES256 token from the identity provider', async () => {
    await expectAccepted(await fromIdentityProvider('ES256', { sub: '502' }), '502', 'user');
  });

  it('still accepts our own HS256 tokens', async () => {
    await expectAccepted(await tokenFor({ id: 503, role: 'user' }), '503', 'user');
  });

  it('holds identity provider tokens to the same claims: issuer, audience, exp, typ, sub, role', async () => {
    await expectRejected(await fromIdentityProvider('RS256', { iss: 'https://evil.example' }));
    await expectRejected(await fromIdentityProvider('RS256', { aud: 'another-api' }));
    await expectRejected(await fromIdentityProvider('RS256', { exp: undefined }));
    await expectRejected(await fromIdentityProvider('ES256', { iat: 1, exp: 2 }));
    await expectRejected(await fromIdentityProvider('ES256', {}, { typ: 'at+jwt' }));
    await expectRejected(await fromIdentityProvider('ES256', { sub: 'auth0|123' }));
    await expectRejected(await fromIdentityProvider('RS256', { role: undefined }));
  });
});

describe('key confusion', () => {
  it('rejects an HS256 token signed with the RSA public key as PEM text', async () => {
    const pem = await exportSPKI(await rsPublicKey());
    await expectRejected(await handSigned({ alg: 'HS256', typ: 'JWT', kid: RS_KID }, claims({ role: 'admin' }), pem));
  });

  it('rejects an HS256 token signed with the RSA public JWK as text', async () => {
    await expectRejected(
      await handSigned({ alg: 'HS256', typ: 'JWT', kid: RS_KID }, claims(), JSON.stringify(rsPublicJwk)),
    );
  });

  it('rejects such a token although jose, handed the public key for HS256, throws a plain TypeError', async () => {
    // What a verifier that let the header's alg pick how to use the key would meet: not a JOSEError.
    const pem = await exportSPKI(await rsPublicKey());
    const token = await handSigned({ alg: 'HS256', typ: 'JWT' }, claims(), pem);
    const thrown = await jwtVerify(token, await rsPublicKey()).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown).not.toBeInstanceOf(errors.JOSEError);
    await expectRejected(token);
  });

  it('rejects an RS256 token whose kid is not in the set', async () => {
    await expectRejected(await fromIdentityProvider('RS256', {}, { kid: 'rotated-away' }));
  });

  it('rejects an RS256 token signed by another key under a kid from the set', async () => {
    const { privateKey } = await attackerKeys();
    await expectRejected(
      await signed(claims({ role: 'admin' }), privateKey, { alg: 'RS256', typ: 'JWT', kid: RS_KID }),
    );
  });

  it('rejects an RS256 token signed by another key with no kid', async () => {
    const { privateKey } = await attackerKeys();
    await expectRejected(await signed(claims(), privateKey, { alg: 'RS256', typ: 'JWT' }));
  });

  it('rejects a token whose header embeds its own jwk', async () => {
    const { privateKey, publicKey } = await attackerKeys();
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: RS_KID, alg: 'RS256' };
    await expectRejected(await signed(claims(), privateKey, { alg: 'RS256', typ: 'JWT', jwk }));
    await expectRejected(await signed(claims(), privateKey, { alg: 'RS256', typ: 'JWT', kid: RS_KID, jwk }));
  });

  it('rejects a token whose jku header points at another key set', async () => {
    const { privateKey } = await attackerKeys();
    await expectRejected(
      await signed(claims(), privateKey, {
        alg: 'RS256',
        typ: 'JWT',
        kid: RS_KID,
        jku: 'https://evil.example/jwks.json',
      }),
    );
  });

  it('rejects an RS256-signed token with its alg header changed to ES256', async () => {
    const token = await fromIdentityProvider('RS256');
    await expectRejected(withHeader(token, { alg: 'ES256', typ: 'JWT', kid: RS_KID }));
    await expectRejected(withHeader(token, { alg: 'ES256', typ: 'JWT', kid: ES_KID }));
    await expectRejected(withHeader(token, { alg: 'ES256', typ: 'JWT' }));
  });

  it('rejects an ES256-signed token with its alg header changed to RS256', async () => {
    await expectRejected(withHeader(await fromIdentityProvider('ES256'), { alg: 'RS256', typ: 'JWT', kid: ES_KID }));
  });

  it('rejects an alg the set has no key for (EdDSA) and one not allow-listed (PS256)', async () => {
    const ed = await generateKeyPair('EdDSA');
    await expectRejected(await signed(claims(), ed.privateKey, { alg: 'EdDSA', typ: 'JWT' }));
    const ps = await generateKeyPair('PS256');
    await expectRejected(await signed(claims(), ps.privateKey, { alg: 'PS256', typ: 'JWT', kid: RS_KID }));
  });

  it('rejects alg none even with a key set configured', async () => {
    await expectRejected(unsigned(claims(), { alg: 'none', typ: 'JWT', kid: RS_KID }));
  });
});

describe('when the key set cannot be fetched', () => {
  it('answers identity provider tokens with 503 and Retry-After (an outage, not a bad token), and still accepts ours', async () => {
    vi.resetModules();
    process.env.JWT_JWKS_URL = inject('refusedEndpoint').replace(/\/sql$/, '/.well-known/jwks.json');
    try {
      const fresh = await import('@/src/auth/tokens.ts');
      const { Problem: FreshProblem } = await import('@/src/http/problem.ts');
      // fetch throws a plain TypeError here, as jose does on key-type confusion: told apart by where it came from.
      const thrown = await fresh.verifyToken(await fromIdentityProvider('RS256')).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(FreshProblem);
      expect((thrown as Problem).status).toBe(503);
      expect((thrown as Problem).headers['retry-after']).toMatch(/^\d+$/);
      const sessionId = crypto.randomUUID();
      const own = await fresh.issueToken({ id: 504, role: 'user', sessionId });
      await expect(fresh.verifyToken(own.token)).resolves.toEqual({ id: 504, role: 'user', sessionId });
    } finally {
      process.env.JWT_JWKS_URL = jwksUrl;
      vi.resetModules();
    }
  });

  describe('pages and Server Actions', () => {
    /** The headers `next/headers` hands the page, and where `redirect` was told to go. */
    let incoming = new Headers();
    const redirected = vi.fn();

    async function freshCurrentUser() {
      vi.resetModules();
      process.env.JWT_JWKS_URL = inject('refusedEndpoint').replace(/\/sql$/, '/.well-known/jwks.json');
      vi.doMock('next/headers', () => ({ headers: async () => incoming }));
      vi.doMock('next/navigation', () => ({
        redirect: (to: string) => {
          redirected(to);
          throw new Error(`redirected to ${to}`);
        },
      }));
      return import('@/src/auth/current-user.ts');
    }

    afterAll(() => {
      vi.doUnmock('next/headers');
      vi.doUnmock('next/navigation');
      process.env.JWT_JWKS_URL = jwksUrl;
      vi.resetModules();
    });

    it('does not send a signed-in user to /login when the JWKS cannot be fetched (503): the outage surfaces', async () => {
      const { currentIdentity, actionIdentity } = await freshCurrentUser();
      incoming = new Headers({
        authorization: `Bearer ${await fromIdentityProvider('RS256')}`,
        origin: 'http://localhost',
      });
      redirected.mockClear();
      await expect(currentIdentity()).rejects.toMatchObject({ code: 'identity_provider_unavailable', status: 503 });
      await expect(actionIdentity()).rejects.toMatchObject({ code: 'identity_provider_unavailable' });
      expect(redirected).not.toHaveBeenCalled();
    });

    it('still treats a bad token as signed out, and sends an action to /login', async () => {
      const { currentIdentity, actionIdentity } = await freshCurrentUser();
      incoming = new Headers({ authorization: 'Bearer not.a.token' });
      redirected.mockClear();
      await expect(currentIdentity()).resolves.toBeUndefined();
      await expect(actionIdentity()).rejects.toThrow('redirected to /login');
      expect(redirected).toHaveBeenCalledWith('/login');
    });
  });

  it('answers a page request with 503 during the outage, not a redirect to /login', async () => {
    vi.resetModules();
    process.env.JWT_JWKS_URL = inject('refusedEndpoint').replace(/\/sql$/, '/.well-known/jwks.json');
    try {
      const { gate: freshGate } = await import('@/src/auth/gate.ts');
      const token = await fromIdentityProvider('RS256');
      const response = await freshGate(
        new NextRequest('http://localhost:3000/users', { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(response.status).toBe(503);
      const body = (await response.json()) as { code: string };
      expect(body.code).toBe('identity_provider_unavailable');
      expect(response.headers.get('x-request-id')).toBeTruthy();
    } finally {
      process.env.JWT_JWKS_URL = jwksUrl;
      vi.resetModules();
    }
  });
});
