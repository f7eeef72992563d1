// Durability of the embedded database (PGlite in a data folder): rows that got a 201 before a clean stop, and
// before a `kill -9` of the local endpoint, are counted after a restart on the same folder.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryDb, restartDbIfDown, startDb, stopDb } from '@/test/support/proof/database.ts';
import { FigureSheet } from '@/test/support/proof/figures.ts';
import { bearer, inParallel, jsonType, send } from '@/test/support/proof/raw-http.ts';
import { sendChecked } from '@/test/support/proof/invariants.ts';
import { sharedAdminToken } from '@/test/support/proof/tokens.ts';

const place = inject('proofDb');
const runs = inject('proofRuns');
const seed = inject('proofSeed');
const depth = Math.max(1, Math.floor(runs / 10_000));
const ROWS_PER_ROUND = 100;

const sheet = new FigureSheet('durability');
let admin: [string, string];

beforeAll(async () => {
  admin = bearer(await sharedAdminToken());
});

afterEach(() => restartDbIfDown(place));

afterAll(() => sheet.save());

interface Committed {
  id: number;
  email: string;
}

let counter = 0;

/**
 * Creates users, 8 at a time, until `count` of them got a 201, and returns those. A 503 says the database was slower
 * than the proof's DATABASE_TIMEOUT_MS (a loaded machine): that write's outcome is unknown, so its row is not
 * counted as committed and another is created in its place.
 */
async function createRows(label: string, count: number): Promise<Committed[]> {
  const committed: Committed[] = [];
  for (let round = 1; committed.length < count; round++) {
    if (round > 5) throw new Error(`${count - committed.length} of ${count} creates still answered 503 after 5 rounds`);
    const emails = Array.from(
      { length: count - committed.length },
      () => `durable-${label}-${seed}-${++counter}@example.com`,
    );
    const responses = await inParallel(emails, 8, (address) =>
      sendChecked(
        sheet,
        {
          method: 'POST',
          path: '/api/users',
          headers: [admin, jsonType],
          body: JSON.stringify({ name: 'Durable', email: address }),
        },
        { timeBoundMs: 10_000, allow503: true },
      ),
    );
    responses.forEach(({ status, body }, i) => {
      expect([201, 503]).toContain(status);
      if (status === 201) committed.push({ id: (JSON.parse(body) as { id: number }).id, email: emails[i]! });
    });
  }
  return committed;
}

/** The committed rows the restarted database still holds, read by the endpoint itself. */
async function survivors(committed: Committed[]): Promise<number> {
  const rows = await queryDb<{ id: string; email: string }>(
    place,
    'SELECT id::text, email FROM users WHERE id = ANY($1::int[])',
    [`{${committed.map(({ id }) => id).join(',')}}`],
  );
  const found = new Map(rows.map(({ id, email }) => [Number(id), email]));
  return committed.filter(({ id, email }) => found.get(id) === email).length;
}

async function restartAndWait(): Promise<void> {
  await startDb(place);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await send({ method: 'GET', path: '/api/health' })).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the API did not reach the restarted database');
}

describe('durability of the embedded database', () => {
  it(
    'reports the settings that decide what a commit promises',
    async () => {
      const settings = await queryDb<{ name: string; setting: string }>(
        place,
        "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes') ORDER BY name",
      );
      sheet.note(`settings: ${settings.map(({ name, setting }) => `${name}=${setting}`).join(', ')}`);
      expect(settings.length).toBeGreaterThan(0);
    },
    120_000 * depth,
  );

  it(
    'keeps every row committed before a clean stop (SIGTERM)',
    async () => {
      const committed = await createRows('clean', ROWS_PER_ROUND * 2);
      await stopDb(place, 'SIGTERM');
      sheet.add({ faultsInjected: 1 });
      await restartAndWait();
      const kept = await survivors(committed);
      sheet.add({ rowsLost: committed.length - kept });
      sheet.note(`clean stop: ${kept}/${committed.length} committed rows kept`);
      expect(kept).toBe(committed.length);
    },
    120_000 * depth,
  );

  it(
    'keeps every row committed before a kill -9 sent right after the last 201',
    async () => {
      let committedTotal = 0;
      let keptTotal = 0;
      for (let round = 0; round < 3 * depth; round++) {
        const committed = await createRows(`crash${round}`, ROWS_PER_ROUND);
        await stopDb(place, 'SIGKILL');
        sheet.add({ faultsInjected: 1 });
        await restartAndWait();
        const kept = await survivors(committed);
        committedTotal += committed.length;
        keptTotal += kept;
      }
      sheet.add({ crashCommitted: committedTotal, crashSurvived: keptTotal });
      sheet.note(
        `kill -9 right after the last 201: ${keptTotal}/${committedTotal} committed rows kept over ${3 * depth} crashes`,
      );
      expect(keptTotal).toBe(committedTotal);
    },
    120_000 * depth,
  );

  it(
    'keeps every row committed before a kill -9 that lands while creates are in flight',
    async () => {
      let committedTotal = 0;
      let keptTotal = 0;
      for (let round = 0; round < 3 * depth; round++) {
        const committed: Committed[] = [];
        let crashed = false;
        const lanes = Array.from({ length: 8 }, async (_, lane) => {
          for (let i = 0; !crashed && i < 100; i++) {
            const address = `durable-inflight${round}-${lane}-${i}-${seed}@example.com`;
            try {
              const response = await send({
                method: 'POST',
                path: '/api/users',
                headers: [admin, jsonType],
                body: JSON.stringify({ name: 'Inflight', email: address }),
              });
              sheet.add({ requests: 1 });
              if (response.status === 201)
                committed.push({ id: (JSON.parse(response.body) as { id: number }).id, email: address });
            } catch {
              sheet.add({ requests: 1 });
            }
          }
        });
        const deadline = Date.now() + 30_000;
        while (committed.length < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        await stopDb(place, 'SIGKILL');
        crashed = true;
        sheet.add({ faultsInjected: 1 });
        await Promise.all(lanes);
        await restartAndWait();
        const kept = await survivors(committed);
        committedTotal += committed.length;
        keptTotal += kept;
      }
      sheet.add({ crashCommitted: committedTotal, crashSurvived: keptTotal });
      sheet.note(
        `kill -9 with creates in flight: ${keptTotal}/${committedTotal} committed rows kept over ${3 * depth} crashes`,
      );
      expect(keptTotal).toBe(committedTotal);
    },
    120_000 * depth,
  );
});
