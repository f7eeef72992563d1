// Settings the integration server runs with, shared with the tests that mint tokens for it.
import { decodeJwt, SignJWT } from 'jose';

export const SERVER_JWT_SECRET = 'integration-test-secret-0123456789abcdefghijklmnopqrstuvwxyz';
export const SERVER_JWT_ISSUER = 'edge-users-api';
export const SERVER_JWT_AUDIENCE = 'edge-users-api';

/** The environment every suite starts the standalone production server with, on a port and a database. */
export function standaloneServerEnv(settings: {
  port: number;
  databaseUrl: string;
  fetchEndpoint: string;
  jwtSecret?: string;
  /** Settings beyond the suites' defaults. */
  extra?: Record<string, string>;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(settings.port),
    HOSTNAME: '127.0.0.1',
    // Production requires it; the address the suites call the server by, so links and Origin checks agree with them.
    PUBLIC_ORIGIN: `http://127.0.0.1:${settings.port}`,
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: settings.databaseUrl,
    NEON_FETCH_ENDPOINT: settings.fetchEndpoint,
    JWT_SECRET: settings.jwtSecret ?? SERVER_JWT_SECRET,
    // Suites run for minutes on one admin's token; the 5-minute default is tested in the unit suites.
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    // Without a trusted proxy every client here shares one address; the limit has its own tests.
    REGISTER_MAX_PER_ADDRESS: '100000',
    ...settings.extra,
  };
}

/**
 * A token the integration server accepts, minted as its login would mint it, for a session that need not exist:
 * enough for the middleware and for reads; writes ask the database, which refuses it.
 */
export async function serverToken(
  identity: { id: number; role: 'user' | 'admin'; sessionId?: string },
  ttlSeconds = 3600,
): Promise<string> {
  return new SignJWT({ role: identity.role, sid: identity.sessionId ?? crypto.randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(identity.id))
    .setIssuer(SERVER_JWT_ISSUER)
    .setAudience(SERVER_JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(SERVER_JWT_SECRET));
}

/** The same session's access token, expired a minute ago: what a browser holds when its renewal is due. */
export function expiredAccessToken(token: string): Promise<string> {
  const { sub, role, sid } = decodeJwt(token);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub!)
    .setIssuer(SERVER_JWT_ISSUER)
    .setAudience(SERVER_JWT_AUDIENCE)
    .setIssuedAt(now - 400)
    .setExpirationTime(now - 60)
    .sign(new TextEncoder().encode(SERVER_JWT_SECRET));
}
