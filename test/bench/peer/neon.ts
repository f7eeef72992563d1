// The benchmark's same-framework peer: what one writes in a Next.js edge route without an ORM. Neon's `neon()`
// with SQL over the same settings and fetch as src/db/client.ts (its timeout, and the statement timeout sent with
// every query, so both ask the database the same); everything else (authenticate, settings, pagination, the
// public user shape, the error mapper) is the project's own, so only the data layer differs.
// Copied into the benchmarks' own builds (test/bench/peer-copy.ts: `npm run bench -- --peer`, `npm run
// bench:cold-start -- --peer`); never part of the app.
import { neon, neonConfig, type NeonQueryFunction } from '@neondatabase/serverless';
import { authenticate } from '@/src/auth/credentials.ts';
import type { Identity } from '@/src/auth/tokens.ts';
import { withStatementTimeout } from '@/src/db/statement-timeout.ts';
import { env } from '@/src/env.ts';
import { errorResponse } from '@/src/http/errors.ts';
import { uncached } from '@/src/http/handler.ts';
import { Problem } from '@/src/http/problem.ts';

let client: NeonQueryFunction<false, false> | undefined;

/** The isolate's query function, created on first use as src/db/client.ts creates Prisma's. */
export function sql(): NeonQueryFunction<false, false> {
  if (client) return client;
  const { DATABASE_URL, NEON_FETCH_ENDPOINT, DATABASE_TIMEOUT_MS } = env();
  if (NEON_FETCH_ENDPOINT) neonConfig.fetchEndpoint = NEON_FETCH_ENDPOINT;
  neonConfig.fetchFunction = withStatementTimeout(DATABASE_TIMEOUT_MS, (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(DATABASE_TIMEOUT_MS) }),
  );
  client = neon(DATABASE_URL);
  return client;
}

/** A user's public columns; the timestamps are stored as timestamp(3) in UTC, as Prisma writes them. */
export const COLUMNS = `id, name, email, role, "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "updatedAt" AT TIME ZONE 'UTC' AS "updatedAt"`;

export interface UserRow {
  id: number;
  name: string;
  email: string;
  role: 'user' | 'admin';
  createdAt: Date;
  updatedAt: Date;
}

const notFound = () => new Problem('user_not_found', { detail: 'No such user.' });

/** One user by id, as findUserOrThrow answers it. */
export async function findUserOrThrow(id: number): Promise<UserRow> {
  const [row] = (await sql().query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])) as UserRow[];
  if (!row) throw notFound();
  return row;
}

interface PeerContext {
  params: Record<string, string>;
  caller: Identity;
}

/** A signed-in GET as the project answers it: the caller authenticated, never cached, errors as problem+json. */
export function signedInGet(serve: (req: Request, context: PeerContext) => Promise<Response>) {
  return async (req: Request, context: { params: Promise<Record<string, string>> }) => {
    try {
      const caller = await authenticate(req);
      return uncached(await serve(req, { params: await context.params, caller }));
    } catch (error) {
      return uncached(errorResponse(error, req));
    }
  };
}
