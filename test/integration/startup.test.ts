// The production server refuses to start on bad settings, naming the variable, rather than failing requests.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort, waitUntilReady } from '@/test/support/processes.ts';

const STANDALONE_SERVER = '.next/standalone/server.js';

/** Starts the built server with `env` and waits for it to exit (or gives up after 20 s, killing it). */
async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const server = spawn(process.execPath, [STANDALONE_SERVER], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOSTNAME: '127.0.0.1',
      PORT: String(await freePort()),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => server.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => server.on('exit', resolve));
  clearTimeout(timer);
  return { code, stderr };
}

const DATABASE_URL = 'postgresql://app:secret@db.example/app';
const PUBLIC_ORIGIN = 'https://api.example.com';

describe('starting the production server', () => {
  it('stops with one message naming JWT_SECRET when it is missing', async () => {
    const { code, stderr } = await start({ DATABASE_URL });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Invalid configuration:\n {2}JWT_SECRET is required/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('stops when JWT_SECRET is shorter than 32 bytes', async () => {
    const { code, stderr } = await start({ DATABASE_URL, JWT_SECRET: 'too-short' });
    expect(code).toBe(1);
    expect(stderr).toContain('JWT_SECRET must be at least 32 bytes long');
  });

  it('stops when PASSWORD_ITERATIONS is below the production minimum', async () => {
    const { code, stderr } = await start({
      DATABASE_URL,
      JWT_SECRET: 'x'.repeat(40),
      PUBLIC_ORIGIN,
      PASSWORD_ITERATIONS: '1000',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('PASSWORD_ITERATIONS must be at least 600000 in production');
  });

  it('stops at start on DATABASE_URL=postgres://nope, naming the shape it expects (it failed at the first sign-in)', async () => {
    const { code, stderr } = await start({ DATABASE_URL: 'postgres://nope', JWT_SECRET: 'x'.repeat(40) });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'DATABASE_URL must name a user, password, host and database: postgresql://USER:PASSWORD@HOST/DATABASE',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('stops naming DATABASE_URL when it is not a postgres URL', async () => {
    const { code, stderr } = await start({ DATABASE_URL: 'mysql://nope', JWT_SECRET: 'x'.repeat(40), PUBLIC_ORIGIN });
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL must be a postgresql:// connection string');
  });

  it('stops with one message naming PUBLIC_ORIGIN when it is missing, outside Vercel', async () => {
    const { code, stderr } = await start({ DATABASE_URL, JWT_SECRET: 'x'.repeat(40) });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^Invalid configuration:\n {2}PUBLIC_ORIGIN is required in production: the origin clients reach this app by, such as https:\/\/api\.example\.com/m,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('stops naming PUBLIC_ORIGIN when it has a path, saying what shape it expects', async () => {
    const { code, stderr } = await start({
      DATABASE_URL,
      JWT_SECRET: 'x'.repeat(40),
      PUBLIC_ORIGIN: `${PUBLIC_ORIGIN}/api`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('PUBLIC_ORIGIN must be an origin such as https://api.example.com');
  });
});

describe('npm start on the embedded database', () => {
  it('starts without PUBLIC_ORIGIN: the launcher supplies http://localhost:<PORT>, and links use it', async () => {
    const port = await freePort();
    const environment: Record<string, string | undefined> = { ...process.env, PORT: String(port), LOCAL_DB_PORT: '0' };
    for (const name of ['DATABASE_URL', 'NEON_FETCH_ENDPOINT', 'PUBLIC_ORIGIN', 'NODE_ENV', 'JWT_SECRET']) {
      delete environment[name];
    }
    Object.assign(environment, { LOCAL_DB_DIR: 'memory:', ADMIN_PASSWORD: 'twelve-chars', HOSTNAME: '127.0.0.1' });
    const launcher = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/local-db/launcher.ts', '--', 'node', STANDALONE_SERVER],
      { env: environment as NodeJS.ProcessEnv, stdio: ['ignore', 'ignore', 'inherit'], detached: true },
    );
    try {
      await waitUntilReady(`http://127.0.0.1:${port}/api/hello`, launcher, 120_000);
      const response = await fetch(`http://127.0.0.1:${port}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Newcomer', email: 'newcomer@example.com', password: 'correct horse battery' }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      expect(response.headers.get('location')).toMatch(new RegExp(`^http://localhost:${port}/api/users/\\d+$`));
      expect(response.headers.getSetCookie()[0]).toMatch(/^token=/);
    } finally {
      if (launcher.pid) process.kill(-launcher.pid, 'SIGTERM');
    }
  }, 180_000);
});
