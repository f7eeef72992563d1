// Settings the integration server runs with, shared with the tests that mint tokens for it.
import { SignJWT } from 'jose';

export const SERVER_JWT_SECRET = 'integration-test-secret-0123456789abcdefghijklmnopqrstuvwxyz';
export const SERVER_JWT_ISSUER = 'edge-users-api';
export const SERVER_JWT_AUDIENCE = 'edge-users-api';

/** The environment every suite starts the standalone production server with, on a port and a database. */
export function standaloneServerEnv(settings: {
  port: number;
  databaseUrl: string;
  fetchEndpoint: string;
  jwtSecret?: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(settings.port),
    HOSTNAME: '127.0.0.1',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: settings.databaseUrl,
    NEON_FETCH_ENDPOINT: settings.fetchEndpoint,
    JWT_SECRET: settings.jwtSecret ?? SERVER_JWT_SECRET,
  };
}

/** A token the integration server accepts, minted as its login would mint it. */
export async function serverToken(
  identity: { id: number; role: 'user' | 'admin' },
  ttlSeconds = 3600,
): Promise<string> {
  return new SignJWT({ role: identity.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(identity.id))
    .setIssuer(SERVER_JWT_ISSUER)
    .setAudience(SERVER_JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(SERVER_JWT_SECRET));
}
