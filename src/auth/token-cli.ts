// `npm run token -- --email <email> | --sub <id> [--json]`: signs a user in without a password by starting a
// real (revocable) session in the database, for curl. Reads .env files as `next` does; without DATABASE_URL it
// uses the local endpoint of `npm run dev` / `npm run db` and its development secret. Node-only.
import { parseArgs } from 'node:util';
import nextEnv from '@next/env';
import { isUnavailable } from '@/src/db/errors.ts';

const USAGE = `usage: npm run token -- (--email <email> | --sub <user id>) [--json]

Starts a session for an existing user (its role is the one in the database) and prints its access token.
  --email <email>   the user's email
  --sub <id>        the user's id
  --json            print {token, expiresAt, refreshToken, refreshExpiresAt} instead
  --help            this text

Without DATABASE_URL (here or in .env / .env.local) it talks to the local database endpoint that
\`npm run dev\` or \`npm run db\` runs (LOCAL_DB_PORT, default 4444), with the local development secret.`;

class UsageError extends Error {}

function readArguments() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        sub: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  if ((values.email === undefined) === (values.sub === undefined))
    throw new UsageError('give exactly one of --email or --sub');
  if (values.sub !== undefined && (!/^[1-9][0-9]{0,9}$/.test(values.sub) || Number(values.sub) > 2_147_483_647)) {
    throw new UsageError(`--sub must be a user id (a positive 32-bit integer), got "${values.sub}"`);
  }
  return values;
}

async function pointAtLocalDatabase(): Promise<void> {
  const [{ settingsFromEnv }, { devSecret }] = await Promise.all([
    import('@/src/local-db/settings.ts'),
    import('@/src/local-db/dev-secret.ts'),
  ]);
  const { port } = settingsFromEnv();
  process.env.DATABASE_URL = `postgresql://local:local@127.0.0.1:${port}/local`;
  process.env.NEON_FETCH_ENDPOINT = `http://127.0.0.1:${port}/sql`;
  process.env.JWT_SECRET ||= devSecret();
}

async function main(): Promise<number> {
  const values = readArguments();
  if (!values) {
    console.log(USAGE);
    return 0;
  }
  nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
  if (!process.env.DATABASE_URL) await pointAtLocalDatabase();
  const [{ db }, { startSession }, { sessionBody }] = await Promise.all([
    import('@/src/db/client.ts'),
    import('./sessions.ts'),
    import('./session-response.ts'),
  ]);
  const where = values.sub !== undefined ? { id: Number(values.sub) } : { email: values.email!.trim().toLowerCase() };
  const user = await db().user.findUnique({ where, select: { id: true, role: true } });
  if (!user) {
    console.error(`token: no user with ${values.sub !== undefined ? `id ${values.sub}` : `email ${values.email}`}`);
    return 1;
  }
  const body = sessionBody(await startSession(user));
  console.log(values.json ? JSON.stringify(body, null, 2) : body.token);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`token: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
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
