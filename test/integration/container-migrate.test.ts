// The container on a fresh database, as its image runs: .next/standalone copied alone out of the project folder,
// made read-only and run as an unprivileged user (`docker run --read-only --tmpfs /tmp`, USER node). Before
// `node migrate.mjs` the server is live but not ready (503 schema_outdated); the migrate command, run from that
// folder, migrates the database; then it is ready. On PGlite over the wire protocol always, and on a real
// PostgreSQL when TEST_POSTGRES_URL is set.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDb, type LocalDb } from '@/scripts/local-db/server.ts';
import { MIGRATE_BUNDLE } from '@/scripts/migrate/bundle.ts';
import { standaloneServerEnv } from '@/test/support/over-http/server-settings.ts';
import { freePort, runToEnd, waitUntilReady } from '@/test/support/processes.ts';
import { createDatabase, postgresUrl } from '@/test/unit/scripts/local-db/harness.ts';

const SLOW = { timeout: 240_000 };

/** As the image's USER: here the tests run as root, which ignores file permissions, so as nobody instead. */
const unprivileged = (command: string[]) =>
  process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...command] : command;

function run(cwd: string, command: string[], env: Record<string, string | undefined>) {
  const [file, ...args] = unprivileged(command);
  return runToEnd(file!, args, { cwd, env });
}

/** Every path under `folder`: what a write would add to (the folder is read-only, so none can change a file). */
function snapshot(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

interface Target {
  name: string;
  start(): Promise<{ localDb: LocalDb; dispose(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'PGlite over the wire protocol (npm run db -- --empty)',
    async start() {
      const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', migrate: false, wirePort: 0, quiet: true });
      return { localDb, dispose: () => localDb.close() };
    },
  },
];
if (postgresUrl) {
  const serverUrl = postgresUrl;
  targets.push({
    name: 'PostgreSQL (TEST_POSTGRES_URL)',
    async start() {
      const database = await createDatabase(serverUrl);
      const localDb = await startLocalDb({
        port: 0,
        postgresUrl: database.url,
        migrate: false,
        wirePort: 0,
        quiet: true,
      });
      return {
        localDb,
        async dispose() {
          await localDb.close();
          await database.drop();
        },
      };
    },
  });
} else {
  console.warn(
    'container-migrate.test.ts: TEST_POSTGRES_URL is not set; the real PostgreSQL run is skipped (eval "$(.ci/postgres.sh)" to run it).',
  );
}

describe.each(targets)('the container on a fresh database: $name', (target) => {
  let folder: string;
  let files: string[];
  let database: Awaited<ReturnType<Target['start']>>;
  let server: ChildProcess;
  let baseUrl: string;

  beforeAll(async () => {
    database = await target.start();
    folder = mkdtempSync(join(tmpdir(), 'container-'));
    cpSync('.next/standalone', folder, { recursive: true, verbatimSymlinks: true });
    // Readable by all, writable by none: the image's root filesystem mounted read-only.
    chmodSync(folder, 0o755);
    await new Promise((resolve) => spawn('chmod', ['-R', 'a+rX,a-w', folder]).on('close', resolve));
    files = snapshot(folder);
    const port = await freePort();
    const [file, ...args] = unprivileged([process.execPath, 'server.js']);
    server = spawn(file!, args, {
      cwd: folder,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: standaloneServerEnv({
        port,
        databaseUrl: database.localDb.connectionString(),
        fetchEndpoint: database.localDb.endpoint,
      }),
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${baseUrl}/api/live`, server, 60_000);
  }, 240_000);

  afterAll(async () => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
    if (folder) {
      await new Promise((resolve) => spawn('chmod', ['-R', 'u+w', folder]).on('close', resolve));
      rmSync(folder, { recursive: true, force: true });
    }
    await database?.dispose();
  });

  it('is live (/api/live) but not ready: /api/health answers 503 schema_outdated with every migration missing', async () => {
    expect((await fetch(`${baseUrl}/api/live`)).status).toBe(200);
    const health = await fetch(`${baseUrl}/api/health`);
    expect(health.status).toBe(503);
    const problem = (await health.json()) as { code: string; detail: string };
    expect(problem.code).toBe('schema_outdated');
    const count = readdirSync(join(folder, 'prisma/migrations'), { withFileTypes: true }).filter((entry) =>
      entry.isDirectory(),
    ).length;
    expect(problem.detail).toContain(`The database lacks ${count} of the ${count} migrations this build carries`);
  });

  it(
    `\`node ${MIGRATE_BUNDLE}\` from the read-only folder migrates it; then /api/health answers 200, and a re-run applies nothing`,
    SLOW,
    async () => {
      const env = { PATH: process.env.PATH, DATABASE_URL_UNPOOLED: database.localDb.unpooledUrl };
      const first = await run(folder, [process.execPath, MIGRATE_BUNDLE], env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^migrate: applied 20261125000000_init, .* \((\d+) of \1; \d+ statements, /);
      const health = await fetch(`${baseUrl}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
      const again = await run(folder, [process.execPath, MIGRATE_BUNDLE], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/nothing to apply \(1 statement, /);
    },
  );

  it('serves the API reference page (/docs, made at build time) and writes nothing into its folder', async () => {
    for (let i = 0; i < 2; i++) {
      const docs = await fetch(`${baseUrl}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('API reference');
    }
    expect((await fetch(`${baseUrl}/login`)).status).toBe(200);
    expect(snapshot(folder)).toEqual(files);
  });
});
