// The CLI (`npm run db`) and the launcher, run as real processes.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neon } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '@/src/auth/password.ts';
import { dataFolderPassword } from '@/scripts/local-db/credentials.ts';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { defaultPort } from '@/scripts/local-db/settings.ts';
import { driver, pollUntil } from './harness.ts';
import { spawnScript } from '@/test/support/processes.ts';

interface Run {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

const JWT_SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

function run(script: string, args: string[], env: Record<string, string | undefined>, cwd = process.cwd()): Run {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: undefined,
    NODE_ENV: undefined,
    ...env,
  };
  const child = spawnScript(script, args, { env: childEnv, cwd });
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

const cli = (env: Record<string, string | undefined>, args: string[] = []) => run('scripts/local-db/cli.ts', args, env);
const launcher = (command: string[], env: Record<string, string | undefined>, cwd?: string) =>
  run('scripts/local-db/launcher.ts', ['--', ...command], env, cwd);

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

  // PGlite's start alone took 11.6 s of wall time on the shared 2-core machine (load average 7-12): a deadline, not a speed.
  it('prints one ready line, serves, and keeps committed rows after SIGTERM', { timeout: 180_000 }, async () => {
    const dataDir = join(folder, 'data');
    const started = cli({ LOCAL_DB_PORT: '0', LOCAL_DB_DIR: dataDir });
    const endpoint = await pollUntil(
      async () => started.stdout().match(/ready: (http:\/\/127\.0\.0\.1:\d+\/sql)/)?.[1],
      120_000,
    );
    expect(started.stdout().trim().split('\n')).toHaveLength(1);
    // The printed DATABASE_URL carries the password generated into the data folder.
    const url = started.stdout().match(/DATABASE_URL=(\S+)/)![1]!;
    const password = (await readFile(join(dataDir, 'local-db-password'), 'utf8')).trim();
    expect(url).toBe(`postgresql://local:${password}@127.0.0.1:${new URL(endpoint).port}/local`);
    const sql = neon(url);
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
      JWT_SECRET,
      PUBLIC_ORIGIN: 'https://api.example.com',
      LOCAL_DB_PORT: String(takenPort),
    });
    expect(await started.code).toBe(7);
    expect(JSON.parse(started.stdout())).toEqual(['postgresql://u:p@db.example/app', null]);
  });

  it('refuses a production start on a database of its own without PUBLIC_ORIGIN, naming it, before the command runs', async () => {
    const started = launcher(printEnv, { DATABASE_URL: 'postgresql://u:p@db.example/app', JWT_SECRET });
    expect(await started.code).toBe(1);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toContain('PUBLIC_ORIGIN is required in production');
  });

  describe('on the embedded database, a production server (npm start)', () => {
    const printOrigin = ['node', '-e', 'console.log(process.env.PUBLIC_ORIGIN)'];
    const embedded = { LOCAL_DB_PORT: '0', LOCAL_DB_DIR: 'memory:', JWT_SECRET, ADMIN_PASSWORD: 'twelve-chars' };
    // Each starts a database and seeds an admin at production cost (600,000 iterations): slow on a busy machine.
    const SLOW = 120_000;

    it.each([
      [undefined, 'http://localhost:3000'],
      ['4123', 'http://localhost:4123'],
    ])(
      'is handed PUBLIC_ORIGIN for localhost on its PORT (%s): %s',
      async (port, expected) => {
        const started = launcher(printOrigin, { ...embedded, PORT: port, PUBLIC_ORIGIN: undefined });
        expect(await started.code, started.stderr()).toBe(0);
        expect(started.stdout()).toBe(`${expected}\n`);
      },
      SLOW,
    );

    it(
      'keeps a PUBLIC_ORIGIN that is set',
      async () => {
        const started = launcher(printOrigin, { ...embedded, PUBLIC_ORIGIN: 'https://users.example.org' });
        expect(await started.code, started.stderr()).toBe(0);
        expect(started.stdout()).toBe('https://users.example.org\n');
      },
      SLOW,
    );
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
    expect(output.url).toMatch(/^postgresql:\/\/local:[\w-]{32}@127\.0\.0\.1:\d+\/local$/);
    expect(output.rows).toEqual([{ email: 'admin@example.com', role: 'admin', hashed: true }]);
    expect(new TextEncoder().encode(output.secret).byteLength).toBeGreaterThanOrEqual(32);
    // Closed with the command: nothing listens there any more.
    await expect(fetch(new URL('/_stats', output.url.replace('postgresql:', 'http:')))).rejects.toThrow();
  });

  it('reuses the endpoint already serving its own data folder, with that folder’s password', async () => {
    const dataDir = join(folder, 'shared');
    const running = await startLocalDb({ port: 0, dataDir, quiet: true });
    try {
      const started = launcher(printEnv, { LOCAL_DB_PORT: String(running.port), LOCAL_DB_DIR: dataDir, JWT_SECRET });
      expect(await started.code).toBe(7);
      expect(JSON.parse(started.stdout())).toEqual([running.connectionString(), running.endpoint]);
      expect(running.connectionString()).toContain(`:${dataFolderPassword(dataDir)}@`);
    } finally {
      await running.close();
    }
  });

  it('says once, with what to do, when the endpoint it reused (another command’s) stops', async () => {
    // Another command's endpoint, in a process of its own, as npm start's would be.
    const dataDir = join(folder, 'borrowed');
    const other = cli({ LOCAL_DB_PORT: '0', LOCAL_DB_DIR: dataDir });
    // Deadlines, not speeds: PGlite's start alone took tens of seconds beside four CPU-bound processes.
    const port = await pollUntil(
      async () => other.stdout().match(/ready: http:\/\/127\.0\.0\.1:(\d+)\/sql/)?.[1],
      120_000,
    );
    const waiting = ['node', '-e', 'console.log("serving"); setTimeout(() => {}, 600000)'];
    const started = launcher(waiting, { LOCAL_DB_PORT: port, LOCAL_DB_DIR: dataDir, JWT_SECRET });
    try {
      // The command runs: the launcher has seeded the database and handed it over.
      await pollUntil(async () => started.stdout().includes('serving') || undefined, 120_000).catch(() => {
        throw new Error(`the command did not start; the launcher said: ${started.stderr()}`);
      });
      expect(started.stderr()).toContain('reusing the endpoint');
      other.kill('SIGKILL');
      await other.code;
      const said = await pollUntil(
        async () => /local-db: the database endpoint[^\n]*\n/.exec(started.stderr())?.[0],
        120_000,
      ).catch(() => {
        throw new Error(`nothing said of the stopped endpoint; the launcher said: ${started.stderr()}`);
      });
      expect(said).toBe(
        `local-db: the database endpoint at http://127.0.0.1:${port}/sql (PGlite in ${dataDir}) has stopped: the ` +
          'command that started it (another npm run dev or npm start) has exited, and every request that needs the ' +
          'database now answers 503. Restart this command to run a database of its own.\n',
      );
    } finally {
      other.kill('SIGKILL');
      started.kill('SIGTERM');
      await started.code;
    }
  }, 480_000);

  it('refuses to run on the endpoint of another data folder, saying how to run both', async () => {
    const otherDir = join(folder, 'other-checkout');
    const running = await startLocalDb({ port: 0, dataDir: otherDir, quiet: true });
    try {
      const started = launcher(printEnv, {
        LOCAL_DB_PORT: String(running.port),
        LOCAL_DB_DIR: join(folder, 'this-checkout'),
        JWT_SECRET,
      });
      expect(await started.code).toBe(1);
      expect(started.stdout()).toBe('');
      expect(started.stderr()).toContain(
        `port ${running.port} already serves another database (PGlite in ${otherDir})`,
      );
      expect(started.stderr()).toContain(`LOCAL_DB_PORT=${running.port + 1}`);
    } finally {
      await running.close();
    }
  });

  it('gives each checkout its own default port, derived from its data folder', () => {
    const first = defaultPort({ dataDir: '/home/ada/one/.data/pglite' });
    const second = defaultPort({ dataDir: '/home/ada/two/.data/pglite' });
    expect(first).not.toBe(second);
    expect(defaultPort({ dataDir: '/home/ada/one/.data/pglite' })).toBe(first);
    for (const port of [first, second]) {
      expect(port).toBeGreaterThanOrEqual(4400);
      expect(port).toBeLessThan(5000);
    }
  });

  it('npm start on a busy port says which port and how to choose another, instead of EADDRINUSE', async () => {
    const project = join(folder, 'busy-port');
    await mkdir(join(project, '.next/standalone'), { recursive: true });
    // A stand-in for the build: it would listen (and fail with the raw EADDRINUSE) if it ever ran.
    await writeFile(
      join(project, '.next/standalone/server.js'),
      'require("node:http").createServer().listen(Number(process.env.PORT), process.env.HOSTNAME);\n',
    );
    const started = launcher(
      ['node', '.next/standalone/server.js'],
      {
        DATABASE_URL: 'postgresql://u:p@db.example/app',
        JWT_SECRET,
        PORT: String(takenPort),
        HOSTNAME: '127.0.0.1',
      },
      project,
    );
    expect(await started.code).toBe(1);
    expect(started.stderr()).toBe(
      `local-db launcher: port ${takenPort} is already in use (another server, or npm start or npm run dev still running?). ` +
        `Stop it, or choose another port: PORT=${takenPort + 1} npm start\n`,
    );
  });

  it('fails clearly when something else holds LOCAL_DB_PORT', async () => {
    const started = launcher(printEnv, { LOCAL_DB_PORT: String(takenPort), LOCAL_DB_DIR: 'memory:' });
    expect(await started.code).toBe(1);
    expect(started.stderr()).toBe(
      `local-db launcher: Port ${takenPort} on 127.0.0.1 is already in use by something that is not the local database endpoint; set LOCAL_DB_PORT to a free port\n`,
    );
  });
});

describe('--help', () => {
  it('npm run db -- --help says what it does and which settings it reads, and starts nothing', async () => {
    const started = cli({ LOCAL_DB_PORT: String(takenPort) }, ['--help']);
    expect(await started.code).toBe(0);
    expect(started.stdout()).toMatch(/^usage: npm run db/);
    for (const name of ['LOCAL_DB_DIR', 'LOCAL_DB_PORT', 'LOCAL_DB_POSTGRES_URL', 'LOCAL_DB_LATENCY_MS']) {
      expect(started.stdout()).toContain(name);
    }
    expect(started.stderr()).toBe('');
  });

  it('npm run db refuses an unknown argument as a usage error (exit 2), with its usage', async () => {
    const started = cli({}, ['--port']);
    expect(await started.code).toBe(2);
    expect(started.stderr()).toMatch(/^db: Unknown option '--port'[^\n]*\n\nusage: npm run db \[-- --empty\]/);
    expect(started.stdout()).toBe('');
  });

  it('the launcher explains itself with --help', async () => {
    const started = run('scripts/local-db/launcher.ts', ['--help', '--', 'next', 'dev'], {});
    expect(await started.code).toBe(0);
    expect(started.stdout()).toMatch(/^Usage: tsx scripts\/local-db\/launcher\.ts/);
    expect(started.stdout()).toContain('ADMIN_PASSWORD');
  });
});

describe('settings, as a newcomer meets them', () => {
  const printEnv = ['node', '-e', 'console.log(process.env.DATABASE_URL + " " + process.env.JWT_SECRET)'];

  it('reads .env.local as next does', async () => {
    const project = join(folder, 'with-env-local');
    await mkdir(project, { recursive: true });
    await writeFile(
      join(project, '.env.local'),
      `DATABASE_URL=postgresql://u:p@db.example/app\nJWT_SECRET=${JWT_SECRET}\nPUBLIC_ORIGIN=https://api.example.com\n`,
    );
    const started = launcher(printEnv, {}, project);
    expect(await started.code).toBe(0);
    expect(started.stdout()).toBe(`postgresql://u:p@db.example/app ${JWT_SECRET}\n`);
  });

  it.each([
    ['DATABASE_TIMEOUT_MS', 'abc', 'DATABASE_TIMEOUT_MS must be a whole number of milliseconds from 100 to 60000'],
    [
      'LOCAL_DB_LATENCY_MS',
      '-5',
      'LOCAL_DB_LATENCY_MS must be a whole number of milliseconds from 0 to 10000, got "-5"',
    ],
    [
      'LOCAL_DB_PORT',
      'http',
      'LOCAL_DB_PORT must be a whole number (a port; 0 picks a free one) from 0 to 65535, got "http"',
    ],
  ])('stops before the command starts when %s=%s, saying what is expected', async (name, value, message) => {
    const started = launcher(printEnv, { LOCAL_DB_PORT: '0', LOCAL_DB_DIR: 'memory:', JWT_SECRET, [name]: value });
    expect(await started.code).toBe(1);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toContain(message);
  });

  it('npm run sizes says to build first when there is no build', async () => {
    const started = run('scripts/edge-sizes.ts', [], {}, folder);
    expect(await started.code).toBe(1);
    expect(started.stderr()).toBe(
      'npm run sizes measures the last build, and there is none in .next: run npm run build first\n',
    );
  });

  it('says to build first when the built server is missing (npm start before npm run build)', async () => {
    const started = launcher(['node', '.next/standalone/server.js'], { JWT_SECRET }, folder);
    expect(await started.code).toBe(1);
    expect(started.stderr()).toBe(
      'local-db launcher: there is no production build (.next/standalone/server.js is missing): run npm run build first\n',
    );
  });
});

describe('the seeded admin in production', () => {
  const printAdmin = [
    'node',
    '-e',
    `fetch(process.env.NEON_FETCH_ENDPOINT, { method: 'POST', headers: { 'neon-connection-string': process.env.DATABASE_URL },
       body: JSON.stringify({ query: 'select "passwordHash" as hash from users where role = \\'admin\\'' }) })
     .then((r) => r.json()).then((body) => console.log(body.rows[0].hash))`,
  ];
  const production = { NODE_ENV: 'production', LOCAL_DB_PORT: '0', LOCAL_DB_DIR: 'memory:', JWT_SECRET };
  // verifyPassword below runs in this process, under the app's settings (its hashing bound is one).
  beforeAll(() => {
    vi.stubEnv('DATABASE_URL', 'postgresql://unused:unused@localhost/unused');
    vi.stubEnv('JWT_SECRET', JWT_SECRET);
  });
  afterAll(() => vi.unstubAllEnvs());

  it('never gets the development password: one is generated and printed once', async () => {
    const started = launcher(printAdmin, { ...production, ADMIN_PASSWORD: undefined, PASSWORD_ITERATIONS: undefined });
    expect(await started.code).toBe(0);
    const generated = started.stderr().match(/with the generated password (\S+)/)?.[1];
    expect(generated, started.stderr()).toBeDefined();
    expect(started.stderr()).toContain('shown this once');
    const hash = started.stdout().trim();
    expect(await verifyPassword(generated!, hash)).toBe(true);
    expect(await verifyPassword('local-admin-password', hash)).toBe(false);
  });

  it('takes ADMIN_PASSWORD of 12 characters or more', async () => {
    const started = launcher(printAdmin, { ...production, ADMIN_PASSWORD: 'twelve-chars' });
    expect(await started.code).toBe(0);
    expect(await verifyPassword('twelve-chars', started.stdout().trim())).toBe(true);
  });

  it('refuses a shorter ADMIN_PASSWORD before anything starts', async () => {
    const started = launcher(printAdmin, { ...production, ADMIN_PASSWORD: 'short-pass' });
    expect(await started.code).toBe(1);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toBe(
      'local-db launcher: ADMIN_PASSWORD must be 12 to 128 characters in production (it has 10); leave it unset to have one generated\n',
    );
  });
});
