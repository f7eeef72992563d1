// Deleting what has expired: sessions and one-time links 30 days after they ended, and rate-limit rows whose
// window is over. Plain SQL over whatever runs a query (Prisma in the route, Neon's driver in npm run db:prune), so both
// delete the same rows the same way.

/** Rows one statement deletes at most: a short statement, whatever has piled up. */
export const PRUNE_BATCH_SIZE = 1_000;
/** Batches one run makes at most; what is left waits for the next run. */
export const PRUNE_MAX_BATCHES = 10;
/**
 * A session or link that has ended (revoked, expired, used) is kept this long, so that what the app answers about
 * it does not change: an old link still says "used" or "expired" (410, ask for a new one) rather than "unknown"
 * (404), an old refresh token "session ended" rather than "invalid".
 */
export const ENDED_ROWS_KEPT_DAYS = 30;

/** Runs one statement that answers a single row `{ count }`. */
export type CountQuery = (sql: string, params: unknown[]) => Promise<{ count: number }[]>;

export interface PruneWindows {
  /** LOGIN_WINDOW_SECONDS: sign-in counts (`sign-in:…`, `sign-in-device:…`, `sign-in-address:…`). */
  loginWindowSeconds: number;
  /** REGISTER_WINDOW_SECONDS: sign-up counts (`sign-up:…`). */
  registerWindowSeconds: number;
}

export interface PruneResult {
  deleted: { sessions: number; invitations: number; rateLimits: number };
  /** False when a table still held more than this run's bound: run again. */
  complete: boolean;
}

/**
 * One statement per table and batch. `FOR UPDATE SKIP LOCKED` passes over a row a request is using right now (a
 * refresh, a sign-in's count), so pruning never waits on the app nor makes it wait; the row goes next time.
 * A window past its end restarts at the next attempt whether its row is there or not, and an ended row is deleted
 * only once nobody can have a use for it. So deleting is idempotent and changes no answer.
 */
const STATEMENTS = {
  sessions: `
    WITH doomed AS (
      SELECT id FROM sessions
      WHERE LEAST("revokedAt", "expiresAt") <= CURRENT_TIMESTAMP - make_interval(days => $2::int)
      LIMIT $1 FOR UPDATE SKIP LOCKED
    ), deleted AS (DELETE FROM sessions USING doomed WHERE sessions.id = doomed.id RETURNING 1)
    SELECT count(*)::int AS count FROM deleted`,
  invitations: `
    WITH doomed AS (
      SELECT "userId" FROM invitations
      WHERE LEAST("usedAt", "expiresAt") <= CURRENT_TIMESTAMP - make_interval(days => $2::int)
      LIMIT $1 FOR UPDATE SKIP LOCKED
    ), deleted AS (DELETE FROM invitations USING doomed WHERE invitations."userId" = doomed."userId" RETURNING 1)
    SELECT count(*)::int AS count FROM deleted`,
  rateLimits: `
    WITH doomed AS (
      SELECT key FROM rate_limits
      WHERE "windowStart" <= CURRENT_TIMESTAMP - make_interval(secs => CASE WHEN key LIKE 'sign-up:%'
                                                                         THEN $3::int ELSE $2::int END)
      LIMIT $1 FOR UPDATE SKIP LOCKED
    ), deleted AS (DELETE FROM rate_limits USING doomed WHERE rate_limits.key = doomed.key RETURNING 1)
    SELECT count(*)::int AS count FROM deleted`,
} as const;

type Table = keyof typeof STATEMENTS;

function paramsFor(table: Table, batchSize: number, windows: PruneWindows): unknown[] {
  if (table === 'rateLimits') return [batchSize, windows.loginWindowSeconds, windows.registerWindowSeconds];
  return [batchSize, ENDED_ROWS_KEPT_DAYS];
}

/** Deletes, batch by batch, until every table is done or the run's bound is reached. */
export async function pruneExpired(
  query: CountQuery,
  windows: PruneWindows,
  { batchSize = PRUNE_BATCH_SIZE, maxBatches = PRUNE_MAX_BATCHES } = {},
): Promise<PruneResult> {
  const deleted = { sessions: 0, invitations: 0, rateLimits: 0 };
  let pending = Object.keys(STATEMENTS) as Table[];
  for (let batch = 0; batch < maxBatches && pending.length; batch++) {
    const counts = await Promise.all(
      pending.map(async (table) => {
        const [row] = await query(STATEMENTS[table], paramsFor(table, batchSize, windows));
        return Number(row?.count ?? 0);
      }),
    );
    counts.forEach((count, index) => (deleted[pending[index]!] += count));
    // A table whose batch came back short has nothing more to delete now.
    pending = pending.filter((_, index) => counts[index] === batchSize);
  }
  return { deleted, complete: pending.length === 0 };
}
