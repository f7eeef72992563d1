// `npm run db:prune`: deletes what has expired (sessions and one-time links 30 days after they ended, rate-limit
// windows that are over), as GET /api/cron/prune does on Vercel, for the targets without Vercel Cron (a schedule
// on AWS, cron beside the container). Bounded work per run; safe while the app serves. Node-only.
import nextEnv from '@next/env';
import { readCommandLine } from './command-line.ts';

const USAGE = `usage: npm run db:prune [-- --json]

Deletes expired data from the database the app uses: sessions and one-time links 30 days after they ended
(revoked, expired or used), and sign-in and sign-up counts whose window is over. At most 10 batches of
1,000 rows per table per run, one statement per table and batch, skipping rows a request holds; run it
again when it says more remain. Safe while the app serves, and idempotent.

  --json   print {"deleted":{"sessions":n,"invitations":n,"rateLimits":n},"complete":bool}
  --help   this text

Reads DATABASE_URL (and NEON_FETCH_ENDPOINT, LOGIN_WINDOW_SECONDS, REGISTER_WINDOW_SECONDS) from the
environment or .env files as next does; without DATABASE_URL, the local database endpoint of npm run dev.
Exits 1 when the database cannot be reached or refuses.`;

/** Prune signs nothing: a placeholder lets the app's one settings check run without a JWT_SECRET. */
const NO_SECRET_NEEDED = 'db-prune-signs-nothing-so-needs-no-jwt-secret';

async function pointAtLocalDatabase(): Promise<void> {
  const { localConnectionString, settingsFromEnv } = await import('@/scripts/local-db/settings.ts');
  const settings = settingsFromEnv();
  process.env.DATABASE_URL = localConnectionString(settings);
  process.env.NEON_FETCH_ENDPOINT = `http://127.0.0.1:${settings.port}/sql`;
}

async function main(): Promise<number> {
  const { values } = readCommandLine(USAGE, { json: { type: 'boolean', default: false } });
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', { info: () => {}, error: console.error });
  if (!process.env.DATABASE_URL) await pointAtLocalDatabase();
  const [{ neon, neonConfig }, { parseEnv }, { pruneExpired }] = await Promise.all([
    import('@neondatabase/serverless'),
    import('@/src/env.ts'),
    import('@/src/maintenance/prune.ts'),
  ]);
  const settings = parseEnv({ ...process.env, JWT_SECRET: process.env.JWT_SECRET || NO_SECRET_NEEDED });
  // Neon's driver, as npm run token uses it: the same SQL the route runs through Prisma.
  if (settings.NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = settings.NEON_FETCH_ENDPOINT;
  const sql = neon(settings.DATABASE_URL);
  const result = await pruneExpired(async (text, params) => (await sql.query(text, params)) as { count: number }[], {
    loginWindowSeconds: settings.LOGIN_WINDOW_SECONDS,
    registerWindowSeconds: settings.REGISTER_WINDOW_SECONDS,
  });
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    const { sessions, invitations, rateLimits } = result.deleted;
    console.log(
      `db:prune: deleted ${sessions} sessions, ${invitations} links and ${rateLimits} rate-limit rows` +
        (result.complete ? '; nothing else has expired' : '; more remain: run it again'),
    );
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const { message } = error as Error;
    const unreachable = /fetch failed|ECONNREFUSED|ENOTFOUND/i.test(`${message} ${String((error as Error).cause)}`);
    console.error(
      unreachable
        ? `db:prune: cannot reach the database (${message}); is it running, and is DATABASE_URL right?`
        : `db:prune: ${message}`,
    );
    process.exit(1);
  },
);
