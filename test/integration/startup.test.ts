// The production server refuses to start on bad settings, naming the variable, rather than failing requests.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '@/test/support/processes.ts';

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
    const { code, stderr } = await start({ DATABASE_URL, JWT_SECRET: 'x'.repeat(40), PASSWORD_ITERATIONS: '1000' });
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
    const { code, stderr } = await start({ DATABASE_URL: 'mysql://nope', JWT_SECRET: 'x'.repeat(40) });
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL must be a postgresql:// connection string');
  });
});
