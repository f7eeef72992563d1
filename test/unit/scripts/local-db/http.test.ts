// The HTTP surface: who may talk to it, refusals of malformed requests, the round-trip counter and the fault hook.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startLocalDb, type LocalDb } from '@/scripts/local-db/server.ts';
import { driver, randomTag } from './harness.ts';

let localDb: LocalDb;
let origin: string;
let neonHeaders: Record<string, string>;

beforeAll(async () => {
  localDb = await startLocalDb({ port: 0, dataDir: 'memory:', migrationsDir: '/nonexistent', quiet: true });
  origin = new URL(localDb.endpoint).origin;
  neonHeaders = {
    'content-type': 'application/json',
    'neon-connection-string': localDb.connectionString('t_http'),
    'neon-raw-text-output': 'true',
    'neon-array-mode': 'true',
  };
});
afterAll(() => localDb?.close());

/** An admin route, called as the tests and tools call it: with the endpoint's connection string, as /sql is. */
function admin(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('neon-connection-string', localDb.connectionString());
  return fetch(`${origin}${path}`, { ...init, headers });
}

async function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = neonHeaders) {
  const response = await fetch(localDb.endpoint, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** node:http, which (unlike fetch) sends any Host, Origin or Sec-Fetch-Site header it is given. */
function rawPost(
  headers: Record<string, string>,
  body = JSON.stringify({ query: 'select 1 as one' }),
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(localDb.endpoint, { method: 'POST', headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** Neon's error body: the message, then every Postgres field ("" for code and severity, null for the rest). */
function neonError(message: string, fields: Record<string, string> = {}) {
  const body: Record<string, unknown> = { message };
  for (const field of ['code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'severity']) {
    body[field] = fields[field] ?? (field === 'code' || field === 'severity' ? '' : null);
  }
  for (const field of ['where', 'table', 'column', 'schema', 'dataType', 'constraint', 'file', 'line', 'routine']) {
    body[field] = fields[field] ?? null;
  }
  return body;
}

describe('what a web page could send', () => {
  const write = JSON.stringify({ query: "select 'written' as state" });

  it('refuses a request from a foreign origin, even with the right credentials', async () => {
    const reply = await rawPost({ ...neonHeaders, 'content-type': 'text/plain', origin: 'http://evil.example' }, write);
    expect(reply.status).toBe(403);
    expect(reply.body.message).toMatch(/does not answer web pages/);
  });

  it.each(['cross-site', 'same-site', 'same-origin', 'none'])('refuses Sec-Fetch-Site: %s', async (site) => {
    expect((await rawPost({ ...neonHeaders, 'sec-fetch-site': site }, write)).status).toBe(403);
  });

  it.each(['evil.example', 'evil.example:4444', '192.168.1.10', 'localhost.evil.example'])(
    'refuses Host: %s (DNS rebinding), answering only loopback names',
    async (host) => {
      const reply = await rawPost({ ...neonHeaders, host }, write);
      expect(reply.status).toBe(421);
      expect(reply.body.message).toMatch(/is not this endpoint/);
    },
  );

  it.each(['localhost', '127.0.0.1', '[::1]'])('answers Host: %s with the port', async (name) => {
    const reply = await rawPost({ ...neonHeaders, host: `${name}:${localDb.port}` });
    expect(reply.status).toBe(200);
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/xml'])(
    'refuses a %s body with 415',
    async (type) => {
      expect((await rawPost({ ...neonHeaders, 'content-type': type })).status).toBe(415);
    },
  );

  it('answers the text/plain that fetch gives a string body, which is what Neon’s driver sends', async () => {
    const reply = await rawPost({ ...neonHeaders, 'content-type': 'text/plain;charset=UTF-8' });
    expect(reply).toMatchObject({ status: 200, body: { rows: [['1']] } });
  });
});

// Quoted from Neon's proxy: auth/mod.rs `#[error("password authentication failed for user '{0}'")]`, returned
// for a wrong password and for an unknown role (no secret); serverless/error.rs ConnInfoError for a missing
// one; a database that does not exist is Postgres's own FATAL 3D000, forwarded with 400.
describe('credentials and database, as Neon checks them', () => {
  const withConnection = (connectionString: string) => ({
    ...neonHeaders,
    'neon-connection-string': connectionString,
  });
  const url = () => new URL(localDb.connectionString());

  it('gives each data folder its own generated password', () => {
    expect(localDb.credentials).toEqual({
      user: 'local',
      password: expect.stringMatching(/^[\w-]{24,}$/),
      database: 'local',
    });
    expect(localDb.connectionString()).toContain(`:${localDb.credentials.password}@`);
  });

  it.each([
    ['a wrong password', 'password', 'local', "password authentication failed for user 'local'"],
    [
      'an unknown role, with the same message',
      'username',
      'postgres',
      "password authentication failed for user 'postgres'",
    ],
    ['a missing password', 'password', '', 'missing authentication credentials: required password'],
  ] as const)('refuses %s', async (_name, part, value, message) => {
    const wrong = url();
    wrong[part] = value;
    expect(await post('{"query":"select 1"}', withConnection(wrong.toString()))).toEqual({
      status: 400,
      body: neonError(message),
    });
  });

  it('refuses a request without a connection string', async () => {
    const noConnection = Object.fromEntries(
      Object.entries(neonHeaders).filter(([name]) => name !== 'neon-connection-string'),
    );
    expect(await post('{"query":"select 1"}', noConnection)).toEqual({
      status: 400,
      body: neonError('invalid header: neon-connection-string'),
    });
  });

  it('refuses a database that does not exist, as Postgres does at connection', async () => {
    const other = url();
    other.pathname = '/neondb';
    expect(await post('{"query":"select 1"}', withConnection(other.toString()))).toEqual({
      status: 400,
      body: neonError('database "neondb" does not exist', {
        code: '3D000',
        severity: 'FATAL',
        file: 'postinit.c',
        routine: 'InitPostgres',
      }),
    });
  });

  it('counts no round trip for a refused request', async () => {
    const before = localDb.stats();
    const wrong = url();
    wrong.password = 'guess';
    await post('{"query":"select 1"}', withConnection(wrong.toString()));
    expect(localDb.stats()).toBe(before);
  });
});

describe('batch options in the reply headers, as Neon echoes them', () => {
  it('echoes the isolation level, read-only and deferrable it ran with', async () => {
    const response = await fetch(localDb.endpoint, {
      method: 'POST',
      headers: {
        ...neonHeaders,
        'neon-batch-isolation-level': 'Serializable',
        'neon-batch-read-only': 'true',
        'neon-batch-deferrable': 'true',
      },
      body: JSON.stringify({ queries: [{ query: "select current_setting('transaction_isolation') as level" }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('neon-batch-isolation-level')).toBe('Serializable');
    expect(response.headers.get('neon-batch-read-only')).toBe('true');
    expect(response.headers.get('neon-batch-deferrable')).toBe('true');
    expect(((await response.json()) as { results: { rows: unknown[] }[] }).results[0]!.rows).toEqual([
      ['serializable'],
    ]);
  });

  it('echoes nothing for options left off, or for a single query', async () => {
    const response = await fetch(localDb.endpoint, {
      method: 'POST',
      headers: { ...neonHeaders, 'neon-batch-read-only': 'false', 'neon-batch-isolation-level': 'ReadCommitted' },
      body: JSON.stringify({ query: 'select 1' }),
    });
    expect(response.status).toBe(200);
    expect([...response.headers.keys()].filter((name) => name.startsWith('neon-'))).toEqual([]);
  });

  it('refuses a lower-case isolation level with Neon’s message', async () => {
    expect(
      await post(JSON.stringify({ queries: [] }), { ...neonHeaders, 'neon-batch-isolation-level': 'serializable' }),
    ).toEqual({ status: 400, body: neonError('invalid isolation level') });
  });
});

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
      { 'content-type': 'application/json', 'neon-connection-string': localDb.connectionString() },
    );
    expect(reply.body.rows).toEqual([{ n: 1, b: true, j: { a: 1 }, a: [1, 2] }]);
    expect(reply.body.rowAsArray).toBe(false);
  });

  it('answers an empty query as Neon does: no rows and an empty command', async () => {
    expect(await post('{"query":""}')).toEqual({
      status: 200,
      body: { fields: [], command: '', rowCount: null, rows: [], rowAsArray: true },
    });
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
    ['bad JSON', '{"query":', /^could not parse the HTTP request body: .*JSON/],
    ['no query', '{"params": []}', /^could not parse the HTTP request body: the body is missing "query"/],
    ['a non-array batch', '{"queries": 1}', /^could not parse the HTTP request body: "queries" must be an array$/],
  ])('refuses %s with 400 and Neon’s message', async (_name, body, message) => {
    const reply = await post(body);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(message);
  });

  it('refuses a body over 64 MB with 413', async () => {
    const body = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20);
    const reply = await post(body);
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual(neonError(`request is too large (max is ${MAX_BODY_BYTES} bytes)`));
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
    ['POST', '/_info', 405],
  ])('%s %s → %i with a JSON message', async (method, path, status) => {
    const response = await admin(path, { method });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(((await response.json()) as { message: string }).message).toEqual(expect.any(String));
  });

  it('stays up after all of the above', async () => {
    expect(await driver(localDb)`select 'alive' as state`).toEqual([{ state: 'alive' }]);
  });
});

describe('admin routes need the password', () => {
  const wrongPassword = () => {
    const url = new URL(localDb.connectionString());
    url.password = 'not-the-password';
    return url.toString();
  };

  it.each([
    ['PUT', '/_faults', JSON.stringify({ delayMs: 600_000 })],
    ['DELETE', '/_faults', undefined],
    ['GET', '/_stats', undefined],
    ['DELETE', '/_stats', undefined],
  ])('refuses %s %s without the connection string, or with a wrong password, with 401', async (method, path, body) => {
    for (const headers of [{}, { 'neon-connection-string': wrongPassword() }] as Record<string, string>[]) {
      const response = await fetch(`${origin}${path}`, { method, body, headers });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toBe(
        `${path} needs this endpoint's connection string in the Neon-Connection-String header, as /sql does`,
      );
    }
    // Nothing changed: no delay was set, and the counter was neither read nor reset.
    expect(await (await admin('/_faults', { method: 'DELETE' })).json()).toEqual({ delayMs: 0 });
  });

  it('answers GET /_info without it: it names what is served, never a password', async () => {
    const response = await fetch(`${origin}/_info`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ database: expect.stringMatching(/^PGlite in memory/) });
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
    expect(await (await admin(`/_stats?tag=${first}`)).json()).toEqual({ queries: 3 });
    const all = (await (await admin('/_stats')).json()) as { queries: number; byTag: Record<string, number> };
    expect(all.queries).toBe(before + 4);
    expect(all.byTag).toMatchObject({ [first]: 3, [second]: 1 });
  });

  it('resets with DELETE /_stats and resetStats()', async () => {
    await driver(localDb)`select 1`;
    expect((await admin('/_stats', { method: 'DELETE' })).status).toBe(200);
    expect(await (await admin('/_stats')).json()).toEqual({ queries: 0, byTag: {} });
    await driver(localDb)`select 1`;
    localDb.resetStats();
    expect(localDb.stats()).toBe(0);
  });
});

describe('fault injection', () => {
  it('delays every /sql reply by delayMs until DELETE /_faults', async () => {
    const sql = driver(localDb);
    const put = await admin('/_faults', { method: 'PUT', body: JSON.stringify({ delayMs: 300 }) });
    expect(await put.json()).toEqual({ delayMs: 300 });
    const started = performance.now();
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    // Cleared, a delay no test could wait out no longer applies: the next query answers at all.
    await admin('/_faults', { method: 'PUT', body: JSON.stringify({ delayMs: 600_000 }) });
    await admin('/_faults', { method: 'DELETE' });
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
  });

  it('refuses a malformed fault', async () => {
    const response = await admin('/_faults', { method: 'PUT', body: JSON.stringify({ delayMs: -1 }) });
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
