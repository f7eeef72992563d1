// Seeds the local database with an admin who can sign in, from ADMIN_EMAIL / ADMIN_PASSWORD.
// Local development only: these defaults never reach a database named by DATABASE_URL.
import { neon, neonConfig } from '@neondatabase/serverless';
import { hashPassword } from '@/src/auth/password.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
export const DEFAULT_ADMIN_PASSWORD = 'local-admin-password';

/** Creates the admin unless a user with that email exists; never changes an existing account. */
export async function seedAdmin(connectionString: string, endpoint: string): Promise<string> {
  const email = (process.env.ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL).trim().toLowerCase();
  const password = process.env.ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD;
  neonConfig.fetchEndpoint = endpoint;
  const sql = neon(connectionString);
  const [existing] = await sql`SELECT id FROM users WHERE email = ${email}`;
  if (existing) return email;
  const passwordHash = await hashPassword(password);
  await sql`
    INSERT INTO users (name, email, role, "passwordHash", "updatedAt")
    VALUES ('Admin', ${email}, 'admin', ${passwordHash}, now())
    ON CONFLICT (email) DO NOTHING`;
  console.error(`Seeded admin ${email} (password from ADMIN_PASSWORD, default "${DEFAULT_ADMIN_PASSWORD}").`);
  return email;
}
