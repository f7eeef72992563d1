// One PrismaClient per isolate, over Neon's HTTP driver; the endpoint is Neon's unless NEON_FETCH_ENDPOINT says otherwise.
import { neonConfig } from '@neondatabase/serverless';
import { PrismaNeonHttp } from '@prisma/adapter-neon';
import { PrismaClient } from '#prisma/client';
import { env } from '@/src/env.ts';
import { withStatementTimeout } from './statement-timeout.ts';

function createClient() {
  const { DATABASE_URL, NEON_FETCH_ENDPOINT, DATABASE_TIMEOUT_MS } = env();
  if (NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = NEON_FETCH_ENDPOINT;
  // Every query is one fetch; bounding it turns an unreachable or stalled database into a prompt 503, and the
  // statement timeout ends the statement on the server at the same moment.
  neonConfig.fetchFunction = withStatementTimeout(DATABASE_TIMEOUT_MS, (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(DATABASE_TIMEOUT_MS) }),
  );
  return new PrismaClient({
    adapter: new PrismaNeonHttp(DATABASE_URL, {}),
    // The hash is read only where a password is checked, by asking for it explicitly.
    omit: { user: { passwordHash: true } },
  });
}

type Client = ReturnType<typeof createClient>;

const globalForPrisma = globalThis as unknown as { prisma?: Client };

/** The isolate's client, created on first use so that importing this module costs nothing. */
export function db(): Client {
  globalForPrisma.prisma ??= createClient();
  return globalForPrisma.prisma;
}

// On the edge, Next.js evaluates a route's modules inside its first request. Starting the client as they are
// evaluated (the query compiler's WASM instance and the schema it reads; Neon over HTTP opens no connection) gets
// that under way while the handler checks the token. A bad setting surfaces as the first query's error, as before.
if (process.env.NEXT_RUNTIME === 'edge') {
  try {
    db()
      .$connect()
      .catch(() => {});
  } catch {}
}
