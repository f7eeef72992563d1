// The CLI (`npm run db`) and the launcher, run as real processes.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neon } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDb } from '@/src/local-db/server.ts';
import { driver, pollUntil } from './harness.ts';

interface Run {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function run(script: string, args: string[], env: Record<string, string | undefined>): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: childEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return {
    code: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
  };
}

const cli = (env: Record<string, string | undefined>) => run('src/local-db/cli.ts', [], env);
const launcher = (command: string[], env: Record<string, string | undefined>) =>
  run('src/local-db/launcher.ts', ['--', ...command], env);

let folder: string;
let squatter: Server;
let takenPort: number;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'local-db-cli-'));
  squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  takenPort = (squatter.address() as AddressInfo).port;
});
afterAll(async () => {
  squatter?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('cli', () => {
  it('exits 1 with one clear line when the port is taken', async () => {
    const started = cli({ LOCAL_DB_PORT: String(takenPort), LOCAL_DB_DIR: 'memory:' });
    expect(await started.code).toBe(1);
    expect(started.stderr()).toBe(`local-db: Port ${takenPort} on 127.0.0.1 is already in use\n`);
    expect(started.stdout()).toBe('');
  });

  it('exits 1 with one clear line when the data folder is unusable', async () => {
    const file = join(folder, 'not-a-folder');
    await writeFile(file, 'x');
    const started = cli({ LOCAL_DB_PORT: '0', LOCAL_DB_DIR: join(file, 'pglite') });
    expect(await started.code).toBe(1);
    expect(started.stderr()).toMatch(/^local-db: Cannot use data folder .*not-a-folder\/pglite: ENOTDIR[^\n]*\n$/);
  });

  it('prints one ready line, serves, and keeps committed rows after SIGTERM', async () => {
    const dataDir = join(folder, 'data');
    const started = cli({ LOCAL_DB_PORT: '0', LOCAL_DB_DIR: dataDir });
    const endpoint = await pollUntil(
      async () => started.stdout().match(/ready: (http:\/\/127\.0\.0\.1:\d+\/sql)/)?.[1],
      20_000,
    );
    expect(started.stdout().trim().split('\n')).toHaveLength(1);
    const sql = neon(`postgresql://local:local@127.0.0.1:${new URL(endpoint).port}/t_cli`);
    await sql`insert into users (name, email, "updatedAt") values ('Kept', 'kept@example.com', now())`;
    started.kill('SIGTERM');
    expect(await started.code).toBe(0);

    const reopened = await startLocalDb({ port: 0, dataDir, quiet: true });
    expect(await driver(reopened)`select name from users`).toEqual([{ name: 'Kept' }]);
    await reopened.close();
  });
});

describe('launcher', () => {
  const printEnv = [
    'node',
    '-e',
    'console.log(JSON.stringify([process.env.DATABASE_URL, process.env.NEON_FETCH_ENDPOINT ?? null])); process.exit(7)',
  ];

  it('runs the command as is when DATABASE_URL is set, passing its exit code through', async () => {
    const started = launcher(printEnv, {
      DATABASE_URL: 'postgresql://u:p@db.example/app',
      LOCAL_DB_PORT: String(takenPort),
    });
    expect(await started.code).toBe(7);
    expect(JSON.parse(started.stdout())).toEqual(['postgresql://u:p@db.example/app', null]);
  });

  it('starts the endpoint with a seeded admin, hands the command DATABASE_URL, NEON_FETCH_ENDPOINT and a JWT secret, and stops it after', async () => {
    const query = [
      'node',
      '-e',
      `fetch(process.env.NEON_FETCH_ENDPOINT, { method: 'POST', headers: { 'neon-connection-string': process.env.DATABASE_URL },
         body: JSON.stringify({ query: 'select email, role, "passwordHash" like \\'pbkdf2-sha256$%\\' as hashed from users', params: [] }) })
       .then((r) => r.json()).then((body) => { console.log(JSON.stringify({ url: process.env.DATABASE_URL, secret: process.env.JWT_SECRET, rows: body.rows })); process.exit(3); })`,
    ];
    const started = launcher(query, {
      LOCAL_DB_PORT: '0',
      LOCAL_DB_DIR: 'memory:',
      ADMIN_EMAIL: undefined,
      JWT_SECRET: undefined,
    });
    expect(await started.code).toBe(3);
    const output = JSON.parse(started.stdout()) as { url: string; secret: string; rows: unknown };
    expect(output.url).toMatch(/^postgresql:\/\/local:local@127\.0\.0\.1:\d+\/local$/);
    expect(output.rows).toEqual([{ email: 'admin@example.com', role: 'admin', hashed: true }]);
    expect(new TextEncoder().encode(output.secret).byteLength).toBeGreaterThanOrEqual(32);
    // Closed with the command: nothing listens there any more.
    await expect(fetch(new URL('/_stats', output.url.replace('postgresql:', 'http:')))).rejects.toThrow();
  });

  it('reuses an endpoint already running on LOCAL_DB_PORT', async () => {
    const running = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
    try {
      const started = launcher(printEnv, { LOCAL_DB_PORT: String(running.port) });
      expect(await started.code).toBe(7);
      expect(JSON.parse(started.stdout())).toEqual([running.connectionString(), running.endpoint]);
    } finally {
      await running.close();
    }
  });

  it('fails clearly when something else holds LOCAL_DB_PORT', async () => {
    const started = launcher(printEnv, { LOCAL_DB_PORT: String(takenPort), LOCAL_DB_DIR: 'memory:' });
    expect(await started.code).toBe(1);
    expect(started.stderr()).toBe(
      `local-db launcher: Port ${takenPort} on 127.0.0.1 is already in use by something that is not the local database endpoint; set LOCAL_DB_PORT to a free port\n`,
    );
  });
});
