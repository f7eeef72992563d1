// Global setup for unit tests: an "identity provider" with an RS256 and an ES256 key pair, whose public
// keys it publishes as a JWKS over HTTP on loopback; tests sign with the private keys it provides.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { TestProject } from 'vitest/node';

export interface ProvidedJwks {
  /** Where the key set is served, for JWT_JWKS_URL. */
  url: string;
  rsPrivateJwk: JWK;
  esPrivateJwk: JWK;
  rsPublicJwk: JWK;
  esPublicJwk: JWK;
}

declare module 'vitest' {
  export interface ProvidedContext {
    jwks: ProvidedJwks;
  }
}

const RS_KID = 'idp-rs256-1';
const ES_KID = 'idp-es256-1';

async function keyPair(alg: 'RS256' | 'ES256', kid: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const labels = { kid, alg, use: 'sig' };
  return {
    privateJwk: { ...(await exportJWK(privateKey)), ...labels },
    publicJwk: { ...(await exportJWK(publicKey)), ...labels },
  };
}

export default async function setup(project: TestProject) {
  const [rs, es] = await Promise.all([keyPair('RS256', RS_KID), keyPair('ES256', ES_KID)]);
  const body = JSON.stringify({ keys: [rs.publicJwk, es.publicJwk] });
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  project.provide('jwks', {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    rsPrivateJwk: rs.privateJwk,
    esPrivateJwk: es.privateJwk,
    rsPublicJwk: rs.publicJwk,
    esPublicJwk: es.publicJwk,
  });
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}
