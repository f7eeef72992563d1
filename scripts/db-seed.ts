// `npm run db:seed -- --users 1000`: adds sample users with realistic names and emails, all with one password the
// admin knows, in batches of one statement each. For local and preview databases; Node-only.
import { readCommandLine, UsageError } from './command-line.ts';
import { loadSettings, openDataTarget } from './local-db/data-target.ts';
import { samplePerson } from './local-db/sample-people.ts';

const DEFAULT_PASSWORD = 'local-user-password';
const BATCH = 1000;
const MAX_USERS = 1_000_000;

const USAGE = `usage: npm run db:seed -- --users <count> [--password <password>]

Adds <count> sample users (1 to ${MAX_USERS.toLocaleString('en')}) with realistic names and emails (example.com,
.org and .net addresses, which reach nobody) and the role user, all with one password, so you can sign in as any of
them. Emails already taken are skipped; run it again to add more. One INSERT per ${BATCH.toLocaleString('en')} users.

  --users <count>        how many users to add
  --password <password>  their password (8 to 128 characters); else SEED_PASSWORD, else ${DEFAULT_PASSWORD}
  --help                 this text

Works on DATABASE_URL (and NEON_FETCH_ENDPOINT) when set, read from the environment or .env files as next does;
else on the embedded database (LOCAL_DB_DIR, default .data/pglite): through npm run dev's endpoint when it
runs, else opened here. The embedded database gets its admin first, as npm run dev would (ADMIN_EMAIL).`;

async function main(): Promise<number> {
  const { values } = readCommandLine(
    USAGE,
    { users: { type: 'string' }, password: { type: 'string' } },
    {
      check: ({ values }) => {
        if (values.users === undefined) throw new UsageError('--users <count> is required');
        const count = Number(values.users);
        if (!/^[0-9]+$/.test(values.users) || count < 1 || count > MAX_USERS) {
          throw new UsageError(`--users must be a whole number from 1 to ${MAX_USERS}, got "${values.users}"`);
        }
        if (values.password !== undefined && (values.password.length < 8 || values.password.length > 128)) {
          throw new UsageError('--password must be 8 to 128 characters');
        }
      },
    },
  );
  loadSettings();
  const password = values.password ?? (process.env.SEED_PASSWORD || DEFAULT_PASSWORD);
  if (password.length < 8 || password.length > 128) throw new Error('SEED_PASSWORD must be 8 to 128 characters');
  const count = Number(values.users);
  const target = await openDataTarget();
  try {
    const [{ neon, neonConfig }, { hashPassword }] = await Promise.all([
      import('@neondatabase/serverless'),
      import('@/src/auth/password.ts'),
    ]);
    if (target.endpoint) neonConfig.fetchEndpoint = target.endpoint;
    const sql = neon(target.connectionString);
    // One hash for everyone: PBKDF2 at its full cost once, not a thousand times.
    const passwordHash = await hashPassword(password);
    const [{ users: before }] = (await sql.query('SELECT count(*)::int AS users FROM users')) as [{ users: number }];
    const started = performance.now();
    let added = 0;
    for (let offset = 0; offset < count; offset += BATCH) {
      const people = Array.from({ length: Math.min(BATCH, count - offset) }, (_, i) =>
        samplePerson(before + offset + i),
      );
      const inserted = (await sql.query(
        `INSERT INTO users (name, email, role, "passwordHash", "updatedAt")
         SELECT name, email, 'user', $3, CURRENT_TIMESTAMP FROM unnest($1::text[], $2::text[]) AS people(name, email)
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [people.map((person) => person.name), people.map((person) => person.email), passwordHash],
      )) as unknown[];
      added += inserted.length;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const skipped = count - added;
    console.log(
      `db:seed: added ${added} users to ${target.description} in ${seconds} s` +
        (skipped ? ` (${skipped} emails were taken)` : '') +
        `; each signs in with the password ${values.password || process.env.SEED_PASSWORD ? 'you gave' : DEFAULT_PASSWORD}` +
        ` (e.g. ${samplePerson(before).email})`,
    );
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:seed: ${(error as Error).message}`);
    process.exit(1);
  },
);
