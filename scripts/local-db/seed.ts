// Seeds the local database with an admin who can sign in, from ADMIN_EMAIL / ADMIN_PASSWORD.
// Local databases only: these settings never reach a database named by DATABASE_URL.
import { neon, neonConfig } from '@neondatabase/serverless';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@/src/auth/password.ts';
import { randomSecret } from './secrets.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
/** For development only: a production server never gets a password printed in the README. */
export const DEFAULT_ADMIN_PASSWORD = 'local-admin-password';
export const MIN_PRODUCTION_ADMIN_PASSWORD = 12;

export interface AdminSettings {
  email: string;
  /** Undefined: generate one when seeding, and print it once. */
  password: string | undefined;
}

/** Reads and checks ADMIN_EMAIL / ADMIN_PASSWORD, throwing a message that says what is expected. */
export function adminSettings(env: NodeJS.ProcessEnv, production: boolean): AdminSettings {
  const email = (env.ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL).trim().toLowerCase();
  const password = env.ADMIN_PASSWORD || undefined;
  const min = production ? MIN_PRODUCTION_ADMIN_PASSWORD : MIN_PASSWORD_LENGTH;
  if (password !== undefined && (password.length < min || password.length > MAX_PASSWORD_LENGTH)) {
    throw new Error(
      `ADMIN_PASSWORD must be ${min} to ${MAX_PASSWORD_LENGTH} characters${production ? ' in production' : ''} (it has ${password.length})` +
        (production ? '; leave it unset to have one generated' : ''),
    );
  }
  return { email, password: password ?? (production ? undefined : DEFAULT_ADMIN_PASSWORD) };
}

/** Creates the admin unless a user with that email exists; never changes an existing account. */
export async function seedAdmin(connectionString: string, endpoint: string, admin: AdminSettings): Promise<void> {
  neonConfig.fetchEndpoint = endpoint;
  const sql = neon(connectionString);
  const [existing] = await sql`SELECT id FROM users WHERE email = ${admin.email}`;
  if (existing) return;
  const password = admin.password ?? randomSecret(18);
  const passwordHash = await hashPassword(password);
  const [created] = await sql`
    INSERT INTO users (name, email, role, "passwordHash", "updatedAt")
    VALUES ('Admin', ${admin.email}, 'admin', ${passwordHash}, now())
    ON CONFLICT (email) DO NOTHING
    RETURNING id`;
  if (!created) return;
  if (admin.password === undefined) {
    console.error(
      `Seeded admin ${admin.email} with the generated password ${password}\n` +
        '  It is shown this once: keep it now (or set ADMIN_PASSWORD, at least 12 characters, before the first start).',
    );
  } else if (admin.password === DEFAULT_ADMIN_PASSWORD) {
    console.error(
      `Seeded admin ${admin.email} / ${DEFAULT_ADMIN_PASSWORD} (development default; set ADMIN_PASSWORD to choose).`,
    );
  } else {
    console.error(`Seeded admin ${admin.email} with the password from ADMIN_PASSWORD.`);
  }
}
