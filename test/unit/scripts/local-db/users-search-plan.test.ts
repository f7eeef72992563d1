// The users search (GET /api/users?q=) as the database runs it: the statement listUsers sends can be served by the
// trigram indexes on name and email, on PGlite and on a real PostgreSQL. Which plan wins depends on the table's
// size (a few thousand rows are read faster in full; measured: 100,000 take the indexes), so the check asks the
// planner with full scans priced out: a statement the indexes cannot serve would still read every user.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { neonConfig } from '@neondatabase/serverless';
import { backendsUnderTest, driver } from './harness.ts';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** The statement and parameters listUsers sends for a search, recorded from the Neon driver's request. */
async function searchStatement(endpoint: string, connectionString: string) {
  process.env.DATABASE_URL = connectionString;
  process.env.NEON_FETCH_ENDPOINT = endpoint;
  process.env.JWT_SECRET ??= 'test-secret-that-is-at-least-32-bytes-long!';
  const { listUsers } = await import('@/src/users/queries.ts');
  const sent = vi.spyOn(globalThis, 'fetch');
  try {
    await listUsers({ limit: 20, q: 'Lovelace' });
    type Statement = { query: string; params: unknown[] };
    // A single statement, or a batch (src/db/statement-timeout.ts sets the statement timeout beside it).
    const body = JSON.parse(String(sent.mock.calls.at(-1)![1]!.body)) as Statement | { queries: Statement[] };
    const sentStatements = 'queries' in body ? body.queries : [body];
    return sentStatements.find((sent) => sent.query.includes('FROM users'))!;
  } finally {
    sent.mockRestore();
    // The app's client pointed the driver at one endpoint; the harness names each endpoint by its own host.
    neonConfig.fetchEndpoint = (host, port) => `http://${host}:${port}/sql`;
  }
}

const backends = backendsUnderTest();
let statement: { query: string; params: unknown[] };

describe.each(backends)('the users search on $name', (backend) => {
  let localDb: Awaited<ReturnType<typeof backend.start>>;

  beforeAll(async () => {
    localDb = await backend.start();
    statement ??= await searchStatement(localDb.endpoint, localDb.connectionString());
    const sql = driver(localDb);
    await sql.query(`INSERT INTO users (name, email, "updatedAt")
      SELECT 'Person ' || n, 'person' || n || '@example.com', now() FROM generate_series(1, 5000) AS n`);
    await sql.query(`INSERT INTO users (name, email, "updatedAt") VALUES ('Ada Lovelace', 'ada@example.com', now())`);
    await sql.query('ANALYZE users');
  });
  afterAll(() => localDb?.dispose());

  it('matches case-insensitively (ILIKE) on both columns, in one statement', () => {
    expect(statement.query).toMatch(/users\.name ILIKE \$\d+ OR users\.email ILIKE \$\d+/);
  });

  it('can be planned over the trigram indexes, without a scan of every user', async () => {
    const sql = driver(localDb);
    const [, , explained] = await sql.transaction([
      sql.query('SET LOCAL enable_seqscan = off'),
      // Walking the primary key in id order and filtering every row is a full scan too.
      sql.query('SET LOCAL enable_indexscan = off'),
      sql.query(`EXPLAIN (FORMAT JSON) ${statement.query}`, statement.params),
    ]);
    const [row] = explained as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
    const nodes = nodesOf(row!['QUERY PLAN'][0].Plan);
    const indexes = nodes.map((node) => node['Index Name']).filter(Boolean);
    expect(indexes).toEqual(expect.arrayContaining(['users_name_idx', 'users_email_idx']));
    const fullScans = nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'users');
    expect(fullScans).toEqual([]);
  });

  it('finds the match among 5,000 users', async () => {
    const rows = (await driver(localDb).query(statement.query, statement.params)) as { email: string }[];
    expect(rows.map((user) => user.email)).toEqual(['ada@example.com']);
  });
});
