// `npm run token -- --email <email> | --sub <id> [--json]`: signs a user in without a password by starting a
// real (revocable) session in the database, for curl. Reads .env files as `next` does; without DATABASE_URL it
// uses the local endpoint of `npm run dev` / `npm run db` and its development secret. Node-only.
import nextEnv from '@next/env';
import { readCommandLine, UsageError } from '@/scripts/command-line.ts';
import { isUnavailable } from '@/src/db/errors.ts';
import { parseId } from '@/src/users/schema.ts';

const USAGE = `usage: npm run token -- (--email <email> | --sub <user id>) [--json]

Starts a session for an existing user (its role is the one in the database) and prints its access token.
  --email <email>   the user's email
  --sub <id>        the user's id
  --json            print {token, expiresAt, refreshToken, refreshExpiresAt} instead
  --help            this text

Without DATABASE_URL (here or in .env / .env.local) it talks to the local database endpoint that
\`npm run dev\` or \`npm run db\` runs for this checkout (LOCAL_DB_PORT, else derived from its data folder), with the local development secret.`;

function readArguments() {
  return readCommandLine(
    USAGE,
    { email: { type: 'string' }, sub: { type: 'string' }, json: { type: 'boolean', default: false } },
    {
      check: ({ values }) => {
        if ((values.email === undefined) === (values.sub === undefined))
          throw new UsageError('give exactly one of --email or --sub');
        if (values.sub !== undefined && parseId(values.sub) === undefined)
          throw new UsageError(`--sub must be a user id (a positive 32-bit integer), got "${values.sub}"`);
      },
    },
  ).values;
}

async function pointAtLocalDatabase(): Promise<void> {
  const [{ localConnectionString, settingsFromEnv }, { devSecret }] = await Promise.all([
    import('@/scripts/local-db/settings.ts'),
    import('@/scripts/local-db/dev-secret.ts'),
  ]);
  const settings = settingsFromEnv();
  const { port } = settings;
  process.env.DATABASE_URL = localConnectionString(settings);
  process.env.NEON_FETCH_ENDPOINT = `http://127.0.0.1:${port}/sql`;
  process.env.JWT_SECRET ||= devSecret();
}

async function main(): Promise<number> {
  const values = readArguments();
  // As `next dev` reads them (.env.development.local, .env.local, .env.development, .env): a development tool.
  nextEnv.loadEnvConfig(process.cwd(), true, { info: () => {}, error: console.error });
  if (!process.env.DATABASE_URL) await pointAtLocalDatabase();
  const [{ neon, neonConfig }, { env }, { startSession }, { sessionBody }] = await Promise.all([
    import('@neondatabase/serverless'),
    import('@/src/env.ts'),
    import('@/src/auth/sessions.ts'),
    import('@/src/auth/session-response.ts'),
  ]);
  // Neon's driver, as the app's client uses it: Prisma's edge client (its WASM) does not load in Node.js.
  const { DATABASE_URL, NEON_FETCH_ENDPOINT } = env();
  if (NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = NEON_FETCH_ENDPOINT;
  const sql = neon(DATABASE_URL);
  const [user] = (
    values.sub !== undefined
      ? await sql.query('SELECT id, role::text AS role FROM users WHERE id = $1', [Number(values.sub)])
      : await sql.query('SELECT id, role::text AS role FROM users WHERE email = $1', [
          values.email!.trim().toLowerCase(),
        ])
  ) as { id: number; role: 'user' | 'admin' }[];
  if (!user) {
    console.error(`token: no user with ${values.sub !== undefined ? `id ${values.sub}` : `email ${values.email}`}`);
    return 1;
  }
  const body = sessionBody(
    await startSession(user, { userAgent: 'npm run token', execute: (query, params) => sql.query(query, params) }),
  );
  console.log(values.json ? JSON.stringify(body, null, 2) : body.token);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (isUnavailable(error)) {
      console.error(
        `token: the database cannot be reached (${process.env.NEON_FETCH_ENDPOINT ?? 'DATABASE_URL'}); is \`npm run dev\` or \`npm run db\` running?`,
      );
    } else {
      console.error(`token: ${(error as Error).message}`);
    }
    process.exit(1);
  },
);
