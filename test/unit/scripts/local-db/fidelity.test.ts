// Fidelity: what the Neon driver returns through the endpoint equals what node-postgres returns over TCP.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDb, type LocalDb } from '@/scripts/local-db/server.ts';
import { createDatabase, driver, postgresAvailable, postgresUrl } from './harness.ts';

interface Case {
  name: string;
  query: string;
  params?: unknown[];
}

const megabyte = 'x'.repeat(1024 * 1024);

/** Every value here prints the same on PostgreSQL 15 and PGlite's 17 with UTC and the C locale. */
const cases: Case[] = [
  { name: 'integers', query: "select 1::int2 a, '-2147483648'::int4 b, 9223372036854775807::int8 c, 42::oid d" },
  {
    name: 'numeric and floats',
    query:
      "select 12345.678900::numeric a, 'NaN'::numeric b, 1.5::float4 c, 3.141592653589793::float8 d, '-Infinity'::float8 e",
  },
  { name: 'booleans', query: 'select true a, false b' },
  { name: 'text types', query: "select 'héllo ✓'::text a, 'v'::varchar(5) b, 'c'::char(3) c, 'n'::name d, ''::text e" },
  { name: 'uuid', query: "select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid a, gen_random_uuid() is not null b" },
  {
    name: 'arrays',
    query:
      "select '{1,NULL,3}'::int[] a, '{{1,2},{3,4}}'::int8[] b, array['a', null, 'b\"c', 'd,e', '']::text[] c, '{}'::int[] d, array[true,false] e, array[1.5,2.5]::numeric[] f, array['2020-01-01'::date] g, array['{\"x\":1}'::jsonb] h",
  },
  {
    name: 'json and jsonb',
    query:
      'select \'{"a":[1,2,{"b":null}]}\'::json a, \'{"b": 1, "a": [true]}\'::jsonb b, \'[1,"x"]\'::jsonb c, \'null\'::jsonb d, \'"s"\'::json e',
  },
  { name: 'bytea', query: "select '\\xdeadbeef'::bytea a, ''::bytea b, convert_to('é', 'UTF8') c" },
  {
    name: 'timestamps',
    query:
      "select '2024-02-29 12:34:56.789'::timestamp a, '2024-02-29 12:34:56.789+02'::timestamptz b, 'infinity'::timestamp c, '1970-01-01 00:00:00'::timestamptz d, '2024-01-01 00:00:00.123456'::timestamp(3) e",
  },
  {
    name: 'dates and times',
    query: "select '1999-12-31'::date a, '-infinity'::date b, '12:34:56.123'::time c, '12:34:56+05:30'::timetz d",
  },
  {
    name: 'intervals',
    query: "select '1 year 2 mons 3 days 04:05:06.789'::interval a, '-1 day'::interval b, '0'::interval c",
  },
  {
    name: 'ranges',
    query:
      "select '[1,10)'::int4range a, 'empty'::int4range b, numrange(1.5, 2.5, '[]') c, '[2024-01-01,2024-02-01)'::daterange d, int8range(null, 5) e",
  },
  {
    name: 'network types',
    query: "select '192.168.1.5/24'::inet a, '10.0.0.0/8'::cidr b, '08:00:2b:01:02:03'::macaddr c, '::1'::inet d",
  },
  { name: 'geometry and bits', query: "select '(1,2)'::point a, B'1011' b, '<(0,0),1>'::circle c" },
  { name: 'NULLs', query: 'select null a, null::int b, null::text c, null::jsonb d, null::int[] e' },
  { name: 'several rows', query: "select g, g * 2 as double, g::text || 'x' as label from generate_series(1, 5) g" },
  { name: 'no rows', query: 'select 1 as one where false' },
  { name: 'duplicate column names', query: 'select 1, 2, 3 as a, 4 as a' },
  { name: 'a 1 MB text value', query: "select repeat('x', 1048576) a, length(repeat('y', 1048576)) b" },
  {
    name: 'params the driver sends',
    query:
      'select $1::text a, $2::int4 b, $3::float8 c, $4::int8 d, $5::bool e, $6::text f, $7::timestamptz g, $8::bytea h, $9::int[] i, $10::int[] j, $11::text[] k, $12::jsonb l, $13::json m, $14::text n, $15 o, $16::numeric p, $17::date q',
    params: [
      'it\'s "quoted" \\ ✓',
      -7,
      2.5,
      2n ** 62n,
      true,
      null,
      new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)),
      new Uint8Array([0, 1, 254, 255]),
      [1, null, 3],
      [
        [1, 2],
        [3, 4],
      ],
      ['a', 'b"c', 'd,e', null, ''],
      { nested: { list: [1, 'two', null] }, ok: true },
      // An array param becomes a Postgres array literal (node-postgres rules), so JSON arrays go as strings.
      JSON.stringify([1, 'x']),
      undefined,
      'untyped',
      '12345678901234567890.0123',
      '2024-02-29',
    ],
  },
  { name: 'a 1 MB param', query: 'select $1::text a, length($1::text) b', params: [megabyte] },
];

const directClients: pg.Client[] = [];

async function direct(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  directClients.push(client);
  return client;
}

async function viaPg(client: pg.Client, { query, params = [] }: Case) {
  const result = await client.query({ text: query, values: params, rowMode: 'array' });
  return { rows: result.rows, fields: result.fields, command: result.command, rowCount: result.rowCount };
}

async function viaEndpoint(localDb: LocalDb, { query, params = [] }: Case) {
  const sql = driver(localDb, 't_fidelity');
  const result = await sql.query(query, params, { arrayMode: true, fullResults: true });
  return { rows: result.rows, fields: result.fields, command: result.command, rowCount: result.rowCount };
}

const describeWithPostgres = postgresAvailable('the fidelity tests') ? describe : describe.skip;

describeWithPostgres('fidelity against a real PostgreSQL (TEST_POSTGRES_URL)', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let pgliteDb: LocalDb;
  let postgresDb: LocalDb;
  let reference: pg.Client;

  beforeAll(async () => {
    database = await createDatabase(postgresUrl!);
    [pgliteDb, postgresDb, reference] = await Promise.all([
      startLocalDb({ port: 0, dataDir: 'memory:', migrationsDir: '/nonexistent', quiet: true }),
      startLocalDb({ port: 0, postgresUrl: database.url, migrationsDir: '/nonexistent', quiet: true }),
      direct(database.url),
    ]);
  });

  afterAll(async () => {
    await Promise.all(directClients.map((client) => client.end()));
    await Promise.all([pgliteDb?.close(), postgresDb?.close()]);
    await database?.drop();
  });

  describe('endpoint over PostgreSQL vs node-postgres on the same server', () => {
    it.each(cases)('$name: identical rows, fields, command and row count', async (testCase) => {
      const [expected, actual] = await Promise.all([viaPg(reference, testCase), viaEndpoint(postgresDb, testCase)]);
      expect(actual.rows).toEqual(expected.rows);
      expect(actual.fields).toEqual(expected.fields.map((field) => ({ ...field })));
      expect(actual.command).toBe(expected.command);
      expect(actual.rowCount).toBe(expected.rowCount);
    });
  });

  describe('endpoint over PGlite vs node-postgres on PostgreSQL', () => {
    it.each(cases)('$name: identical rows, field names and type OIDs', async (testCase) => {
      const [expected, actual] = await Promise.all([viaPg(reference, testCase), viaEndpoint(pgliteDb, testCase)]);
      expect(actual.rows).toEqual(expected.rows);
      const shape = (fields: { name: string; dataTypeID: number; format: string }[]) =>
        fields.map(({ name, dataTypeID, format }) => ({ name, dataTypeID, format }));
      expect(shape(actual.fields)).toEqual(shape(expected.fields));
      expect(actual.command).toBe(expected.command);
      expect(actual.rowCount).toBe(expected.rowCount);
    });
  });

  it.each([
    ['PGlite', () => pgliteDb],
    ['PostgreSQL', () => postgresDb],
  ])('a sql.transaction batch over %s returns what the same statements return one by one', async (_name, localDb) => {
    const sql = driver(localDb(), 't_fidelity', { arrayMode: true, fullResults: true });
    const batch = cases.slice(0, 8);
    const results = await sql.transaction(batch.map(({ query, params = [] }) => sql.query(query, params)));
    const expected = [];
    for (const testCase of batch) expected.push(await viaPg(reference, testCase));
    expect(results.map((result) => result.rows)).toEqual(expected.map((result) => result.rows));
    expect(results.map((result) => result.fields.map((field) => field.dataTypeID))).toEqual(
      expected.map((result) => result.fields.map((field) => field.dataTypeID)),
    );
  });

  it('object rows (arrayMode off) match node-postgres object rows', async () => {
    const query = "select 1 as a, 'x' as b, '{1,2}'::int[] as c, null::text as d";
    const sql = driver(pgliteDb, 't_fidelity');
    const expected = await reference.query(query);
    expect(await sql.query(query)).toEqual(expected.rows);
  });
});
