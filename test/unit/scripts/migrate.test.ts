// `npm run migrate` on a fresh database, as each deploy step runs it: real processes, whose exit codes, words and
// _prisma_migrations rows are the point. On PGlite over the wire protocol (`npm run db -- --empty`'s direct
// connection) always, and on a real PostgreSQL when TEST_POSTGRES_URL is set.
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { PRISMA_ADVISORY_LOCK } from '@/scripts/migrate/deploy.ts';
import { createDatabase, pollUntil, postgresUrl } from '@/test/unit/scripts/local-db/harness.ts';
import { runScript, runToEnd, spawnScript, type Finished } from '@/test/support/processes.ts';

const ROOT = process.cwd();
const MIGRATIONS = join(ROOT, 'prisma/migrations');
// Each run is a process that loads tsx and the engine's WASM: seconds of CPU on a shared 2-core machine.
const SLOW = { timeout: 300_000 };

/** The environment of a command in the project folder: no database settings but those given. */
const withDatabase = (env: Record<string, string | undefined>) => ({
  ...process.env,
  DATABASE_URL: undefined,
  DATABASE_URL_UNPOOLED: undefined,
  NEON_FETCH_ENDPOINT: undefined,
  ...env,
});

const run = (command: string, args: string[], env: Record<string, string | undefined>): Promise<Finished> =>
  runToEnd(command, args, { cwd: ROOT, env: withDatabase(env) });

/** `npm run migrate` without npm in between: the script it names, with the arguments given after `--`. */
const migrate = (env: Record<string, string | undefined>, args: string[] = []) =>
  runScript('scripts/migrate/cli.ts', args, { cwd: ROOT, env: withDatabase(env) });

interface FreshDatabase {
  /** The direct connection, as DATABASE_URL_UNPOOLED. */
  unpooled: string;
  /** The app's connection (the local endpoint's HTTP one for PGlite), as DATABASE_URL. */
  pooled: Record<string, string>;
  dispose(): Promise<void>;
}

interface Target {
  name: string;
  fresh(): Promise<FreshDatabase>;
}

const targets: Target[] = [
  {
    name: 'PGlite over the wire protocol (npm run db -- --empty)',
    async fresh() {
      const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', migrate: false, wirePort: 0, quiet: true });
      return {
        unpooled: localDb.unpooledUrl!,
        pooled: { DATABASE_URL: localDb.connectionString(), NEON_FETCH_ENDPOINT: localDb.endpoint },
        dispose: () => localDb.close(),
      };
    },
  },
];
if (postgresUrl) {
  const serverUrl = postgresUrl;
  targets.push({
    name: 'PostgreSQL (TEST_POSTGRES_URL)',
    async fresh() {
      const database = await createDatabase(serverUrl);
      return { unpooled: database.url, pooled: { DATABASE_URL: database.url }, dispose: () => database.drop() };
    },
  });
} else {
  console.warn(
    'migrate.test.ts: TEST_POSTGRES_URL is not set; the real PostgreSQL runs are skipped (eval "$(.ci/postgres.sh)" to run them).',
  );
}

/** Short-lived: PGlite's direct connection serves one client at a time, and migrate must get its turn. */
async function query<R extends pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

const recorded = (url: string) =>
  query<Row>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');

async function carried(folder = MIGRATIONS): Promise<{ name: string; checksum: string }[]> {
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash('sha256')
        .update(await readFile(join(folder, name, 'migration.sql')))
        .digest('hex'),
    })),
  );
}

/** What `prisma migrate deploy` leaves: one finished row per migration, in order, with the file's SHA-256. */
async function expectDeployed(url: string, folder = MIGRATIONS): Promise<void> {
  const rows = await recorded(url);
  const expected = await carried(folder);
  expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(
    expected.map((migration) => [migration.name, migration.checksum]),
  );
  for (const row of rows) {
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    expect(row.rolled_back_at).toBeNull();
    expect(row.logs).toBeNull();
    expect(row.applied_steps_count).toBe(1);
  }
  // The schema is there: the app's tables answer.
  expect(await query(url, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 0 }]);
}

const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((folder) => rm(folder, { recursive: true, force: true }))));

/** A copy of prisma/migrations to edit or extend. */
async function migrationsCopy(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'migrate-test-'));
  scratch.push(folder);
  await cp(MIGRATIONS, folder, { recursive: true });
  return folder;
}

describe('npm run migrate: arguments', () => {
  it('prints its usage with --help (exit 0) and refuses an unknown option (exit 2)', SLOW, async () => {
    const help = await migrate({}, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run migrate --/);
    const unknown = await migrate({}, ['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'[\s\S]*usage:/);
  });

  it(
    'fails without a database URL, and says so and exits 0 with --skip-without-url (the build step)',
    SLOW,
    async () => {
      const missing = await migrate({});
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('migrate: no DATABASE_URL_UNPOOLED or DATABASE_URL: set the database to migrate.\n');
      const skipped = await migrate({}, ['--skip-without-url']);
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toMatch(/nothing to migrate \(--skip-without-url\)/);
    },
  );

  it('refuses the local endpoint’s HTTP DATABASE_URL alone, naming DATABASE_URL_UNPOOLED', SLOW, async () => {
    const { code, stderr } = await migrate({
      DATABASE_URL: 'postgresql://local:secret@127.0.0.1:4400/local',
      NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4400/sql',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/needs a direct connection: set DATABASE_URL_UNPOOLED \(npm run db prints it/);
  });
});

describe.each(targets)('npm run migrate on a fresh database: $name', (target) => {
  let database: FreshDatabase;
  beforeAll(async () => {
    database = await target.fresh();
  }, 60_000);
  afterAll(() => database?.dispose());

  it(
    "Vercel's build step (vercel-build's migrate part, DATABASE_URL_UNPOOLED beside DATABASE_URL) applies every migration as prisma migrate deploy records it",
    SLOW,
    async () => {
      const scripts = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
      const step = scripts['vercel-build']!.split('&&')[0]!.trim();
      expect(step).toBe('npm run migrate -- --skip-without-url');
      const [npm, ...args] = step.split(' ');
      const { code, stdout, stderr } = await run(npm!, args, {
        ...database.pooled,
        DATABASE_URL_UNPOOLED: database.unpooled,
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const names = (await carried()).map((migration) => migration.name);
      expect(stdout).toContain(`migrate: applied ${names.join(', ')} (${names.length} of ${names.length};`);
      await expectDeployed(database.unpooled);
    },
  );

  it(
    "the AWS deploy step, as the README's AWS section orders it before cdk deploy (DATABASE_URL_UNPOOLED=… npm run migrate), migrates a database of its own; without a URL it stops the deploy (exit 1)",
    SLOW,
    async () => {
      const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
      const aws = readme.slice(readme.indexOf('**AWS (CloudFront'), readme.indexOf('**Node.js server.**'));
      const step = /^DATABASE_URL_UNPOOLED='postgresql:\/\/…' npm run migrate$/m.exec(aws);
      expect(step, 'the AWS section names the migrate step').not.toBeNull();
      expect(step!.index).toBeLessThan(aws.indexOf('cdk deploy EdgeUsersApi'));
      expect((await migrate({})).code).toBe(1);

      const own = await target.fresh();
      try {
        const { code, stdout, stderr } = await migrate({ DATABASE_URL_UNPOOLED: own.unpooled });
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const names = (await carried()).map((migration) => migration.name);
        expect(stdout).toContain(`migrate: applied ${names.join(', ')} (${names.length} of ${names.length};`);
        await expectDeployed(own.unpooled);
      } finally {
        await own.dispose();
      }
    },
  );

  it('a re-run is a no-op: one statement (the check), no lock, no DDL, the same rows', SLOW, async () => {
    const before = await recorded(database.unpooled);
    const { code, stdout } = await migrate({ DATABASE_URL_UNPOOLED: database.unpooled });
    expect(code).toBe(0);
    const count = before.length;
    expect(stdout).toMatch(
      new RegExp(`^migrate: the database has all ${count} migrations; nothing to apply \\(1 statement, \\d`),
    );
    expect(await recorded(database.unpooled)).toEqual(before);
  });

  it('refuses an applied migration whose file was edited, saying what to do, and changes nothing', SLOW, async () => {
    const folder = await migrationsCopy();
    const [first] = await carried(folder);
    await appendFile(join(folder, first!.name, 'migration.sql'), '\n-- edited after it was applied\n');
    const before = await recorded(database.unpooled);
    const { code, stderr } = await migrate({ DATABASE_URL_UNPOOLED: database.unpooled }, ['--migrations', folder]);
    expect(code).toBe(1);
    expect(stderr).toContain(`migrate: An applied migration was edited after it ran: ${first!.name}`);
    expect(stderr).toContain('restore the file as it was applied');
    expect(stderr).toContain('npm run db:migrate -- --name <what-changed>');
    expect(await recorded(database.unpooled)).toEqual(before);
  });

  it(
    'records a failing migration with its error, refuses every later run until resolved, then applies it once fixed',
    SLOW,
    async () => {
      const folder = await migrationsCopy();
      const name = '29991231000000_broken';
      await mkdir(join(folder, name));
      // The first statement would succeed: PostgreSQL runs the file as one transaction, so nothing of it stays.
      await writeFile(join(folder, name, 'migration.sql'), 'CREATE TABLE "half_done" (id INT);\nSELECT 1/0;\n');
      const env = { DATABASE_URL_UNPOOLED: database.unpooled };

      const failed = await migrate(env, ['--migrations', folder]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(name);
      expect(failed.stderr).toMatch(/division by zero/);
      expect(failed.stderr).toContain(`npm run migrate -- --rolled-back ${name}`);
      const row = (await recorded(database.unpooled)).find((candidate) => candidate.migration_name === name)!;
      expect(row.finished_at).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toMatch(/division by zero/);
      expect(await query(database.unpooled, "SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);

      const refused = await migrate(env, ['--migrations', folder]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`_prisma_migrations records a failed migration; no new migration is applied`);
      expect(refused.stderr).toContain(`(Prisma's P3009)`);
      expect(refused.stderr).toContain(`npm run migrate -- --rolled-back ${name}`);

      await writeFile(join(folder, name, 'migration.sql'), 'CREATE TABLE "half_done" (id INT);\n');
      const resolved = await migrate(env, ['--migrations', folder, '--rolled-back', name]);
      expect(resolved.stdout).toBe(`migrate: ${name} is marked rolled back; the next run applies it again.\n`);
      expect(resolved.code).toBe(0);
      const fixed = await migrate(env, ['--migrations', folder]);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toMatch(new RegExp(`^migrate: applied ${name} \\(1 of`));
      const rows = (await recorded(database.unpooled)).filter((candidate) => candidate.migration_name === name);
      expect(rows.map((candidate) => [candidate.finished_at === null, candidate.rolled_back_at === null])).toEqual([
        [true, false],
        [false, true],
      ]);
    },
  );
});

describe.each(targets)('two npm run migrate at once: $name', (target) => {
  let database: FreshDatabase;
  beforeAll(async () => {
    database = await target.fresh();
  }, 60_000);
  afterAll(() => database?.dispose());

  it('apply each migration once (two preview deployments building at the same time)', SLOW, async () => {
    const env = { DATABASE_URL_UNPOOLED: database.unpooled };
    const [one, two] = await Promise.all([migrate(env), migrate(env)]);
    expect([one.code, two.code, one.stderr, two.stderr]).toEqual([0, 0, '', '']);
    const names = (await carried()).map((migration) => migration.name);
    const applied = [one.stdout, two.stdout]
      .map((stdout) => /^migrate: applied (\S.*?) \(/.exec(stdout)?.[1]?.split(', ') ?? [])
      .flat();
    expect(applied.sort()).toEqual(names);
    await expectDeployed(database.unpooled);
  });
});

describe.skipIf(!postgresUrl)('npm run migrate and Prisma’s advisory lock (PostgreSQL)', () => {
  it(`waits while another session holds pg_advisory_lock(${PRISMA_ADVISORY_LOCK}), then applies`, SLOW, async () => {
    const database = await createDatabase(postgresUrl!);
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
      const running = migrate({ DATABASE_URL_UNPOOLED: database.url });
      // The run is seen waiting for that very lock (objid is the key's low 32 bits), not racing past it.
      await pollUntil(async () => {
        const waiting = await holder.query(
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
          [PRISMA_ADVISORY_LOCK],
        );
        return waiting.rowCount ? true : undefined;
      }, 120_000);
      expect((await holder.query("SELECT to_regclass('_prisma_migrations') AS t")).rows).toEqual([{ t: null }]);
      await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]);
      const { code } = await running;
      expect(code).toBe(0);
      await expectDeployed(database.url);
    } finally {
      await holder.end();
      await database.drop();
    }
  });
});

describe('npm run db -- --empty, then npm run migrate with the variables it prints', () => {
  it('migrates the database the HTTP endpoint serves', SLOW, async () => {
    const child = spawnScript('scripts/local-db/cli.ts', ['--empty'], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_DB_DIR: 'memory:', LOCAL_DB_PORT: '0', DATABASE_URL: '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      const line = await pollUntil(async () => /^local-db ready: .*$/m.exec(stdout)?.[0], 120_000);
      expect(line).toContain('migrations not applied');
      const printed = Object.fromEntries(
        [...line.matchAll(/\b(DATABASE_URL|NEON_FETCH_ENDPOINT|DATABASE_URL_UNPOOLED)=(\S+)/g)].map((match) => [
          match[1]!,
          match[2]!,
        ]),
      );
      expect(Object.keys(printed)).toEqual(['DATABASE_URL', 'NEON_FETCH_ENDPOINT', 'DATABASE_URL_UNPOOLED']);
      const ask = () =>
        fetch(printed.NEON_FETCH_ENDPOINT!, {
          method: 'POST',
          headers: { 'neon-connection-string': printed.DATABASE_URL! },
          body: JSON.stringify({ query: "SELECT to_regclass('users')::text AS users", params: [] }),
        }).then((response) => response.json() as Promise<{ rows: { users: string | null }[] }>);
      expect((await ask()).rows).toEqual([{ users: null }]);

      const { code } = await migrate(printed);
      expect(code).toBe(0);
      expect((await ask()).rows).toEqual([{ users: 'users' }]);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
