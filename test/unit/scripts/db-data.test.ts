// `npm run db:seed` and `npm run db:reset`, run as real processes: sample users in batches with one known password,
// and a new embedded database only when asked for on a terminal or with --yes.
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import '@/test/support/in-process/database.ts';
import { pgliteOptions } from '@/scripts/local-db/pglite-options.ts';
import { samplePerson } from '@/scripts/local-db/sample-people.ts';
import { verifyPassword } from '@/src/auth/password.ts';
import { db } from '@/src/db/client.ts';
import { freePort, runScript } from '@/test/support/processes.ts';

function run(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  return runScript(join('scripts', script), args, { env: { ...process.env, JWT_SECRET: undefined, ...env } });
}

describe('npm run db:seed', () => {
  it('adds realistic users with one known password, in batches, to the database DATABASE_URL names', async () => {
    // Other test files add users to the same database meanwhile: the seeded ones are those sharing one hash.
    const before = await db().user.aggregate({ _max: { id: true } });
    const seeded = await run('db-seed.ts', ['--users', '1500', '--password', 'sample password'], {
      PASSWORD_ITERATIONS: '1000',
    });
    expect(seeded.stderr).toBe('');
    expect(seeded.stdout).toMatch(
      /^db:seed: added 1500 users to the database at .* in [\d.]+ s; each signs in with the password you gave/,
    );
    expect(seeded.code).toBe(0);
    const added = await db().user.findMany({
      where: { id: { gt: before._max.id ?? 0 } },
      omit: { passwordHash: false },
    });
    const counts = new Map<string, number>();
    for (const { passwordHash: hash } of added) if (hash) counts.set(hash, (counts.get(hash) ?? 0) + 1);
    const [seedHash] = [...counts].reduce((most, each) => (each[1] > most[1] ? each : most));
    const users = added.filter((user) => user.passwordHash === seedHash);
    expect(users).toHaveLength(1500);
    for (const user of users) {
      expect(user.name).toMatch(/^\p{Lu}[\p{L}]+ [\p{L}' -]+$/u);
      expect(user.email).toMatch(/^[a-z]+\.[a-z'-]+\d*@example\.(com|org|net)$/);
      expect(user.role).toBe('user');
    }
    expect(await verifyPassword('sample password', users[0]!.passwordHash!)).toBe(true);
  });

  it('names every person once before it repeats a name, then numbers the emails', () => {
    const people = Array.from({ length: 3000 }, (_, n) => samplePerson(n));
    expect(new Set(people.map((person) => person.name)).size).toBe(3000);
    expect(new Set(people.map((person) => person.email)).size).toBe(3000);
    expect(samplePerson(3000).email).toMatch(/^[a-z.'-]+2@/);
  });

  it.each([[['--users', '0']], [['--users', 'many']], [[]], [['--users', '5', '--password', 'short']]])(
    'refuses %j as a usage error (exit 2) before touching a database',
    async (args) => {
      const refused = await run('db-seed.ts', args, { DATABASE_URL: 'postgresql://unused@127.0.0.1:9/none' });
      expect(refused.stderr).toMatch(/^db:seed: --(users|password)/);
      expect(refused.code).toBe(2);
    },
  );
});

describe('npm run db:reset', () => {
  const folders: string[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) server.close();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  async function dataFolder() {
    const folder = await mkdtemp(join(tmpdir(), 'db-reset-'));
    folders.push(folder);
    const dataDir = join(folder, 'pglite');
    return {
      dataDir,
      env: { DATABASE_URL: undefined, LOCAL_DB_DIR: dataDir, LOCAL_DB_PORT: String(await freePort()) },
    };
  }

  it('refuses without a terminal to ask on, unless given --yes, deleting nothing', async () => {
    const { dataDir, env } = await dataFolder();
    const database = await PGlite.create(pgliteOptions(dataDir));
    await database.close();
    const files = await readdir(dataDir);
    const refused = await run('db-reset.ts', [], env);
    expect(refused.stderr).toBe(
      `db:reset: not asked on a terminal, so nothing deleted; to delete ${dataDir} anyway, pass --yes.\n`,
    );
    expect(refused.code).toBe(1);
    expect(await readdir(dataDir)).toEqual(files);
  });

  it('refuses while the local endpoint has the folder open', async () => {
    const { dataDir, env } = await dataFolder();
    const endpoint = createServer((_request, response) => response.end('{}'));
    servers.push(endpoint);
    await new Promise<void>((resolve) => endpoint.listen(Number(env.LOCAL_DB_PORT), '127.0.0.1', resolve));
    const refused = await run('db-reset.ts', ['--yes'], env);
    expect(refused.stderr).toMatch(/^db:reset: the local database endpoint on port \d+ has .* open; stop npm run dev/);
    expect(refused.stderr).toContain(dataDir);
    expect(refused.code).toBe(1);
  });

  it('with --yes, replaces the folder by a new database: migrated, with only the admin', async () => {
    const { dataDir, env } = await dataFolder();
    const old = await PGlite.create(pgliteOptions(dataDir));
    await old.exec('CREATE TABLE leftover (id int)');
    await old.close();
    const reset = await run('db-reset.ts', ['--yes'], { ...env, PASSWORD_ITERATIONS: '1000' });
    expect(reset.stdout).toBe(`db:reset: replaced ${dataDir}: a new database, migrations applied, admin seeded.\n`);
    expect(reset.code).toBe(0);
    const database = await PGlite.create(pgliteOptions(dataDir));
    try {
      const tables = await database.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables.rows.map((table) => table.name)).not.toContain('leftover');
      expect(tables.rows.map((table) => table.name)).toContain('users');
      const users = await database.query<{ email: string; role: string }>('SELECT email, role::text FROM users');
      expect(users.rows).toEqual([{ email: 'admin@example.com', role: 'admin' }]);
    } finally {
      await database.close();
    }
  });
});
