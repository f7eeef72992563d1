// Database outages under load, against the production build: the endpoint stopped (SIGTERM), killed
// (SIGKILL) and slowed past DATABASE_TIMEOUT_MS. Requests needing the database answer 503 with
// Retry-After in bounded time, the rest keep working, and the API recovers without a restart, losing nothing.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { restartDbIfDown, setDbDelay, startDb, stopDb } from '@/test/support/proof/database.ts';
import { FigureSheet } from '@/test/support/proof/figures.ts';
import { bearer, jsonType, send, type RawRequest, type RawResponse } from '@/test/support/proof/raw-http.ts';
import { sendChecked, tally } from '@/test/support/proof/invariants.ts';
import { sharedAdminToken } from '@/test/support/proof/tokens.ts';

const place = inject('proofDb');
const timeoutMs = inject('proofDbTimeoutMs');
const serverPid = inject('proofServerPid');
const seed = inject('proofSeed');
/** The promise made to clients: an outage is a 503 within this long, never a hang. */
const OUTAGE_BOUND_MS = timeoutMs + 3_000;
const RECOVERY_DEADLINE_MS = 15_000;

const sheet = new FigureSheet('faults');
let admin: [string, string];

beforeAll(async () => {
  admin = bearer(await sharedAdminToken());
});

afterEach(async () => {
  await restartDbIfDown(place);
  await setDbDelay(place, 0);
});

afterAll(() => sheet.save());

let counter = 0;
const email = () => `fault-${seed}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;

const request = (method: string, path: string, json?: unknown, auth = true): RawRequest => ({
  method,
  path,
  headers: [...(auth ? [admin] : []), ...(json === undefined ? [] : [jsonType])],
  body: json === undefined ? undefined : JSON.stringify(json),
  timeoutMs: OUTAGE_BOUND_MS + 10_000,
});

const during = (faulty: boolean, sent: RawRequest) =>
  sendChecked(sheet, sent, { timeBoundMs: faulty ? OUTAGE_BOUND_MS : 10_000, allow503: faulty });

function expectOutage(response: RawResponse): void {
  expect(response.status, response.body).toBe(503);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.ms).toBeLessThanOrEqual(OUTAGE_BOUND_MS);
}

/** Polls /api/health until the API reaches the database again; no restart of the app. */
async function waitForRecovery(): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < RECOVERY_DEADLINE_MS) {
    const health = await send({ method: 'GET', path: '/api/health', timeoutMs: OUTAGE_BOUND_MS + 1_000 });
    sheet.add({ requests: 1 });
    if (health.status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the API did not reach the database again within ${RECOVERY_DEADLINE_MS} ms`);
}

function serverStillRunning(): boolean {
  try {
    process.kill(serverPid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates users with `inFlight` requests at a time until `stop()`; keeps every id that got a 201. A 503 is
 * expected when the fault is on by the time the answer arrives (a request sent just before it may meet it).
 */
function createLoad(inFlight: number, faulty: () => boolean) {
  const committed: { id: number; email: string }[] = [];
  const outcomes: Record<number, number> = {};
  const failures: string[] = [];
  let running = true;
  let sent = 0;
  const lanes = Array.from({ length: inFlight }, async () => {
    // Bounded in count as well as by stop().
    while (running && sent < 5_000 && failures.length === 0) {
      sent++;
      const address = email();
      const sentRequest = request('POST', '/api/users', { name: 'Load', email: address });
      let response: RawResponse;
      try {
        response = await send(sentRequest);
      } catch (error) {
        sheet.add({ requests: 1, slowOrHung: 1 });
        failures.push(`no answer: ${(error as Error).message}`);
        return;
      }
      const faultOn = faulty();
      failures.push(
        ...tally(sheet, sentRequest, response, { timeBoundMs: faultOn ? OUTAGE_BOUND_MS : 10_000, allow503: faultOn }),
      );
      outcomes[response.status] = (outcomes[response.status] ?? 0) + 1;
      if (response.status === 201)
        committed.push({ id: (JSON.parse(response.body) as { id: number }).id, email: address });
      else if (response.status !== 503) failures.push(`create answered ${response.status}: ${response.body}`);
    }
  });
  return {
    committed,
    outcomes,
    /** Stops the load and returns what went wrong (nothing, if all is well). */
    async stop(): Promise<string[]> {
      running = false;
      await Promise.all(lanes);
      return failures;
    },
  };
}

async function lostRows(committed: { id: number; email: string }[]): Promise<number[]> {
  const lost: number[] = [];
  for (const { id, email: address } of committed) {
    const response = await during(false, request('GET', `/api/users/${id}`));
    if (response.status !== 200 || (JSON.parse(response.body) as { email: string }).email !== address) lost.push(id);
  }
  return lost;
}

const waitForCommits = async (load: ReturnType<typeof createLoad>, count: number) => {
  const deadline = Date.now() + 30_000;
  while (load.committed.length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
};

describe.each([
  ['stopped (SIGTERM)', 'SIGTERM'],
  ['killed (kill -9)', 'SIGKILL'],
] as const)('the database endpoint %s mid-run', (_, signal) => {
  it('answers 503 with Retry-After in bounded time, keeps /api/hello up, and recovers with every committed row', async () => {
    let faulty = false;
    const load = createLoad(8, () => faulty);
    await waitForCommits(load, 60);
    faulty = true;
    await stopDb(place, signal);
    sheet.add({ faultsInjected: 1 });
    const committedBefore = load.committed.length;

    // Every kind of request that needs the database, several at once, while the endpoint is down.
    const probes = await Promise.all([
      during(true, request('GET', '/api/health', undefined, false)),
      during(true, request('GET', `/api/users/${load.committed[0]!.id}`)),
      during(true, request('GET', '/api/users?limit=5')),
      during(true, request('PATCH', `/api/users/${load.committed[0]!.id}`, { name: 'During outage' })),
      during(true, request('DELETE', `/api/users/${load.committed[1]!.id}`)),
      during(true, request('POST', '/api/auth/login', { email: email(), password: 'whatever-password' }, false)),
    ]);
    for (const probe of probes) expectOutage(probe);
    // What needs no database keeps working.
    expect((await during(true, request('GET', '/api/hello', undefined, false))).status).toBe(200);
    expect((await during(true, request('GET', '/api/users', undefined, false))).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await load.stop()).toEqual([]);
    expect(load.outcomes[503] ?? 0).toBeGreaterThan(0);

    await startDb(place);
    const recoveryMs = await waitForRecovery();
    faulty = false;
    expect(serverStillRunning()).toBe(true);
    const lost = await lostRows(load.committed);
    sheet.add({ rowsLost: lost.length });
    sheet.note(
      `${signal}: ${committedBefore} rows committed before the fault, ${load.committed.length} in all; outcomes ${JSON.stringify(load.outcomes)}; recovered ${recoveryMs} ms after restart; lost ${lost.length}`,
    );
    expect(lost).toEqual([]);
  });
});

describe('a database slower than DATABASE_TIMEOUT_MS', () => {
  it('answers 503 with Retry-After within the bound, and recovers when the delay is removed', async () => {
    const { id } = JSON.parse(
      (await during(false, request('POST', '/api/users', { name: 'Slow', email: email() }))).body,
    ) as { id: number };
    await setDbDelay(place, timeoutMs + 2_000);
    sheet.add({ faultsInjected: 1 });
    const probes = await Promise.all([
      ...Array.from({ length: 6 }, () => during(true, request('GET', `/api/users/${id}`))),
      during(true, request('GET', '/api/health', undefined, false)),
      during(true, request('GET', '/api/users?limit=5')),
      during(true, request('PATCH', `/api/users/${id}`, { name: 'Slowly patched' })),
    ]);
    for (const probe of probes) expectOutage(probe);
    expect((await during(true, request('GET', '/api/hello', undefined, false))).status).toBe(200);

    await setDbDelay(place, 0);
    const recoveryMs = await waitForRecovery();
    const read = await during(false, request('GET', `/api/users/${id}`));
    expect(read.status).toBe(200);
    // The PATCH that timed out may still have been applied: a 503 on a write means "unknown", not "not done".
    expect(['Slow', 'Slowly patched']).toContain((JSON.parse(read.body) as { name: string }).name);
    sheet.note(
      `slow database (${timeoutMs + 2_000} ms > ${timeoutMs} ms timeout): 503s in ≤ ${Math.round(Math.max(...probes.map((p) => p.ms)))} ms; recovered in ${recoveryMs} ms`,
    );
  });
});
