// The HTTP surface: refusals of malformed requests, the round-trip counter and the fault-injection hook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startLocalDb, type LocalDb } from '@/src/local-db/server.ts';
import { driver, randomTag } from './harness.ts';

let localDb: LocalDb;
let origin: string;

beforeAll(async () => {
  localDb = await startLocalDb({ port: 0, dataDir: 'memory:', migrationsDir: '/nonexistent', quiet: true });
  origin = new URL(localDb.endpoint).origin;
});
afterAll(() => localDb?.close());

const neonHeaders = {
  'content-type': 'application/json',
  'neon-connection-string': 'postgresql://local:local@127.0.0.1:1/t_http',
  'neon-raw-text-output': 'true',
  'neon-array-mode': 'true',
};

async function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = neonHeaders) {
  const response = await fetch(localDb.endpoint, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /sql', () => {
  it('answers a raw request in Neon’s reply shape', async () => {
    const reply = await post(JSON.stringify({ query: 'select $1::int + 1 as n, null::text as t', params: ['41'] }));
    expect(reply).toEqual({
      status: 200,
      body: {
        command: 'SELECT',
        rowCount: 1,
        rowAsArray: true,
        rows: [['42', null]],
        fields: [
          { name: 'n', dataTypeID: 23, tableID: 0, columnID: 0, dataTypeSize: 4, dataTypeModifier: -1, format: 'text' },
          {
            name: 't',
            dataTypeID: 25,
            tableID: 0,
            columnID: 0,
            dataTypeSize: -1,
            dataTypeModifier: -1,
            format: 'text',
          },
        ],
      },
    });
  });

  it('returns JSON values and object rows to clients that ask for neither raw text nor arrays', async () => {
    const reply = await post(
      JSON.stringify({ query: "select 1 as n, true as b, '{\"a\":1}'::jsonb as j, '{1,2}'::int[] as a" }),
      {
        'content-type': 'application/json',
      },
    );
    expect(reply.body.rows).toEqual([{ n: 1, b: true, j: { a: 1 }, a: [1, 2] }]);
    expect(reply.body.rowAsArray).toBe(false);
  });

  it('answers a batch with {results}', async () => {
    const reply = await post(
      JSON.stringify({
        queries: [
          { query: 'select 1 as a', params: [] },
          { query: 'select 2 as b', params: [] },
        ],
      }),
    );
    expect(reply.status).toBe(200);
    expect((reply.body.results as { rows: unknown[] }[]).map((result) => result.rows)).toEqual([[['1']], [['2']]]);
  });

  it.each([
    ['bad JSON', '{"query":', 400, 'Request body is not valid JSON'],
    ['no query', '{"params": []}', 400, 'Request body is missing "query" (a non-empty string)'],
    ['a non-array batch', '{"queries": 1}', 400, '"queries" must be an array'],
  ])('refuses %s with %i and a message', async (_name, body, status, message) => {
    expect(await post(body)).toEqual({ status, body: { message } });
  });

  it('refuses a body over 64 MB with 413', async () => {
    const body = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20);
    const reply = await post(body);
    expect(reply.status).toBe(413);
    expect(reply.body.message).toMatch(/larger than/);
  });

  it('answers a Postgres error with 400 and its fields', async () => {
    const reply = await post(JSON.stringify({ query: 'select 1/0', params: [] }));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      message: 'division by zero',
      code: '22012',
      severity: 'ERROR',
      routine: 'int4div',
    });
  });
});

describe('other routes and methods', () => {
  it.each([
    ['GET', '/sql', 405],
    ['PUT', '/sql', 405],
    ['GET', '/', 404],
    ['POST', '/query', 404],
    ['POST', '/_stats', 405],
    ['GET', '/_faults', 405],
  ])('%s %s → %i with a JSON message', async (method, path, status) => {
    const response = await fetch(`${origin}${path}`, { method });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(((await response.json()) as { message: string }).message).toEqual(expect.any(String));
  });

  it('stays up after all of the above', async () => {
    expect(await driver(localDb)`select 'alive' as state`).toEqual([{ state: 'alive' }]);
  });
});

describe('round-trip counter', () => {
  it('counts each request once, a batch as one, in total and per tag', async () => {
    const first = randomTag();
    const second = randomTag();
    const before = localDb.stats();
    const sql = driver(localDb, first);
    await sql`select 1`;
    await sql.transaction([sql`select 1`, sql`select 2`, sql`select 3`]);
    await driver(localDb, second)`select 1`;
    await expect(sql`select nonsense`).rejects.toMatchObject({ code: '42703' });

    expect(localDb.stats(first)).toBe(3);
    expect(localDb.stats(second)).toBe(1);
    expect(localDb.stats()).toBe(before + 4);
    expect(await (await fetch(`${origin}/_stats?tag=${first}`)).json()).toEqual({ queries: 3 });
    const all = (await (await fetch(`${origin}/_stats`)).json()) as { queries: number; byTag: Record<string, number> };
    expect(all.queries).toBe(before + 4);
    expect(all.byTag).toMatchObject({ [first]: 3, [second]: 1 });
  });

  it('resets with DELETE /_stats and resetStats()', async () => {
    await driver(localDb)`select 1`;
    expect((await fetch(`${origin}/_stats`, { method: 'DELETE' })).status).toBe(200);
    expect(await (await fetch(`${origin}/_stats`)).json()).toEqual({ queries: 0, byTag: {} });
    await driver(localDb)`select 1`;
    localDb.resetStats();
    expect(localDb.stats()).toBe(0);
  });
});

describe('fault injection', () => {
  it('delays every /sql reply by delayMs until DELETE /_faults', async () => {
    const sql = driver(localDb);
    const put = await fetch(`${origin}/_faults`, { method: 'PUT', body: JSON.stringify({ delayMs: 300 }) });
    expect(await put.json()).toEqual({ delayMs: 300 });
    let started = performance.now();
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    await fetch(`${origin}/_faults`, { method: 'DELETE' });
    started = performance.now();
    await sql`select 1`;
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('refuses a malformed fault', async () => {
    const response = await fetch(`${origin}/_faults`, { method: 'PUT', body: JSON.stringify({ delayMs: -1 }) });
    expect(response.status).toBe(400);
  });
});

describe('oversized bodies without a declared length', () => {
  it('refuses a chunked body over 64 MB with 413 too', async () => {
    const chunk = new Uint8Array(8 * 1024 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(localDb.endpoint, {
      method: 'POST',
      headers: neonHeaders,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});
