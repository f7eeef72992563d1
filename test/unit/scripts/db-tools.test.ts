// `npm run db:check` and `npm run db:migrate` on scratch copies of the project's Prisma setup, as real
// processes where the exit code and output are the point, and the schema engine they use.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMigrations } from '@/scripts/schema-engine.ts';
import { connectionStringFor, dataFolderPassword, localCredentials } from '@/scripts/local-db/credentials.ts';
import { pgliteOptions } from '@/scripts/local-db/pglite-options.ts';
import { pollUntil } from '@/test/unit/scripts/local-db/harness.ts';
import { freePort, runScript, spawnScript } from '@/test/support/processes.ts';

const ROOT = process.cwd();
const scratchFolders: string[] = [];

afterAll(async () => {
  await Promise.all(scratchFolders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A copy of the project's Prisma setup (config, schema, migrations) to change without touching the real one. */
async function scratchProject(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'db-tools-'));
  scratchFolders.push(folder);
  await cp(join(ROOT, 'prisma'), join(folder, 'prisma'), { recursive: true });
  await cp(join(ROOT, 'prisma.config.ts'), join(folder, 'prisma.config.ts'));
  await symlink(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
  return folder;
}

async function editSchema(folder: string, edit: (schema: string) => string): Promise<void> {
  const path = join(folder, 'prisma', 'schema.prisma');
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  await writeFile(path, after);
}

function run(
  script: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runScript(script, args, { cwd, env: { ...process.env, DATABASE_URL: '', ...env } });
}

/** A free port whose next port is free too: db:postgres serves the shadow database there. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const next = createServer();
    const free = await new Promise<boolean>((resolve) => {
      next.once('error', () => resolve(false));
      next.listen(port + 1, '127.0.0.1', () => next.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const dbCheck = (cwd: string) => run('scripts/db-check.ts', [], cwd);

const NICKNAME = (schema: string) => schema.replace(/^( {2}passwordHash +String\?)$/m, '$1\n  nickname     String?');

describe('npm run db:check', { timeout: 240_000 }, () => {
  it('exits 0 when the schema and the migrations agree (this project)', async () => {
    const { code, stdout } = await dbCheck(ROOT);
    expect(stdout).toMatch(/^db:check: prisma\/schema\.prisma and the \d+ migrations in prisma\/migrations agree\.$/m);
    expect(code).toBe(0);
  });

  it('exits 2 naming a field added to the schema without a migration', async () => {
    const folder = await scratchProject();
    await editSchema(folder, NICKNAME);
    const { code, stderr } = await dbCheck(folder);
    expect(stderr).toContain('[*] Changed the `users` table');
    expect(stderr).toContain('[+] Added column `nickname`');
    expect(stderr).toContain('npm run db:migrate -- --name');
    expect(code).toBe(2);
  });

  it('names a column the migrations create and the schema dropped', async () => {
    const folder = await scratchProject();
    await editSchema(folder, (schema) => schema.replace(/^ {2}passwordHash +String\?\n/m, ''));
    const { agree, report } = await checkMigrations(folder);
    expect(report).toContain('[-] Removed column `passwordHash`');
    expect(agree).toBe(false);
  });

  it('names an index the schema changed', async () => {
    const folder = await scratchProject();
    // The unique index on email becomes a plain one.
    await editSchema(folder, (schema) =>
      schema
        .replace(/^( {2}email +String) +@unique$/m, '$1')
        .replace(/^( {2}@@map\("users"\))$/m, '  @@index([email], map: "users_email_plain_idx")\n$1'),
    );
    const { agree, report } = await checkMigrations(folder);
    expect(report).toContain('[-] Removed unique index on columns (email)');
    expect(report).toContain('[+] Added index on columns (email)');
    expect(agree).toBe(false);
  });

  it('fails with the database error when a migration does not apply', async () => {
    const folder = await scratchProject();
    const broken = join(folder, 'prisma', 'migrations', '20991231000000_broken');
    await mkdir(broken);
    await writeFile(join(broken, 'migration.sql'), 'ALTER TABLE "users" ADD COLUMN "x" NOT_A_TYPE;');
    await expect(checkMigrations(folder)).rejects.toThrow(
      /20991231000000_broken[\s\S]*type "not_a_type" does not exist/,
    );
  });
});

describe('npm run db:migrate', { timeout: 240_000 }, () => {
  it('writes the migration the schema needs, applies it to the embedded database, and db:check then passes', async () => {
    const folder = await scratchProject();
    await editSchema(folder, NICKNAME);
    const dataDir = join(folder, '.data', 'pglite');
    const env = { LOCAL_DB_DIR: dataDir, LOCAL_DB_PORT: String(await freePort()) };

    const migrate = await run('scripts/db-migrate.ts', ['--name', 'Nick name'], folder, env);
    expect(migrate.stderr).toContain('local-db: applied migrations');
    expect(migrate.code).toBe(0);

    const migrations = join(folder, 'prisma', 'migrations');
    const created = (await readdir(migrations)).filter((name) => /^\d{14}_nick_name$/.test(name));
    expect(created).toHaveLength(1);
    const script = await readFile(join(migrations, created[0]!, 'migration.sql'), 'utf8');
    expect(script).toBe('-- AlterTable\nALTER TABLE "users" ADD COLUMN     "nickname" TEXT;\n');

    const database = await PGlite.create(pgliteOptions(dataDir));
    try {
      const columns = await database.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'",
      );
      expect(columns.rows.map((row) => row.column_name)).toContain('nickname');
      const recorded = await database.query<{ checksum: string }>(
        'SELECT checksum FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NOT NULL',
        [created[0]],
      );
      expect(recorded.rows).toEqual([{ checksum: createHash('sha256').update(script).digest('hex') }]);
    } finally {
      await database.close();
    }

    expect(await checkMigrations(folder)).toMatchObject({ agree: true });
  });

  it('makes no migration when the schema and the migrations agree', async () => {
    const folder = await scratchProject();
    const before = await readdir(join(folder, 'prisma', 'migrations'));
    const { code, stdout } = await run('scripts/db-migrate.ts', ['--name', 'nothing', '--create-only'], folder);
    expect(stdout).toContain('no migration to make');
    expect(code).toBe(0);
    expect(await readdir(join(folder, 'prisma', 'migrations'))).toEqual(before);
  });
});

describe('npm run db:postgres', { timeout: 240_000 }, () => {
  it('serves the embedded database over PostgreSQL, with an empty shadow database beside it', async () => {
    const folder = await scratchProject();
    const [port, localPort] = [await freePortPair(), await freePort()];
    const server = spawnScript('scripts/db-postgres.ts', ['--port', String(port)], {
      cwd: folder,
      env: {
        ...process.env,
        DATABASE_URL: '',
        LOCAL_DB_DIR: join(folder, '.data'),
        LOCAL_DB_PORT: String(localPort),
      },
    });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => server.on('close', resolve));
    try {
      await Promise.race([
        pollUntil(async () => output.includes('Stop with Ctrl-C') || undefined, 200_000),
        exited.then((code) => Promise.reject(new Error(`db:postgres exited with ${code}:\n${output}`))),
      ]);
      const url = (p: number) => `postgresql://postgres@127.0.0.1:${p}/postgres?sslmode=disable`;
      expect(output).toContain(`DATABASE_URL=${url(port)}`);
      expect(output).toContain(`http://127.0.0.1:${localPort}/sql (npm run dev uses it)`);

      const main = new pg.Client(url(port));
      const shadow = new pg.Client(url(port + 1));
      await Promise.all([main.connect(), shadow.connect()]);
      try {
        const applied = await main.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL');
        const onDisk = (await readdir(join(folder, 'prisma', 'migrations'))).filter((name) => /^\d/.test(name));
        expect(applied.rows.map((row) => row.migration_name).sort()).toEqual(onDisk.sort());
        const tables = await shadow.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
        expect(tables.rows).toEqual([{ n: 0 }]);
      } finally {
        await Promise.all([main.end(), shadow.end()]);
      }

      // The app's endpoint runs through the same connection, on LOCAL_DB_PORT, where `npm run dev` finds it
      // as the data folder's own endpoint: same identity, same password.
      const info = await (await fetch(`http://127.0.0.1:${localPort}/_info`)).json();
      expect(info).toEqual({ database: `PGlite in ${join(folder, '.data')}` });
      const response = await fetch(`http://127.0.0.1:${localPort}/sql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'neon-connection-string': connectionStringFor(
            `127.0.0.1:${localPort}`,
            localCredentials(dataFolderPassword(join(folder, '.data'))),
          ),
        },
        body: JSON.stringify({ query: 'SELECT count(*)::int AS n FROM users', params: [] }),
      });
      const { rows } = (await response.json()) as { rows: unknown[] };
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('the schema engine', () => {
  it('is the engine the Prisma CLI ships, byte for byte', async () => {
    const require = createRequire(join(ROOT, 'package.json'));
    const digest = async (path: string) =>
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    const ours = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const cli = join(require.resolve('prisma/build/index.js'), '..', 'schema_engine_bg.wasm');
    expect(await digest(ours)).toBe(await digest(cli));
  });
});
