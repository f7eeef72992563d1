// The container's server: .next/standalone copied alone out of the project folder, as the Dockerfile
// copies it (static files included by `npm run build`), starts and serves the API and the pages.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { folderSize } from '@/scripts/folder-size.ts';
import { expectDeployedAppAnswers } from '@/test/support/over-http/deployment.ts';
import { freePort, waitUntilReady } from '@/test/support/processes.ts';
import { standaloneServerEnv } from '@/test/support/over-http/server-settings.ts';

/** The container image's budget for the server it copies: what `docker build` adds on top of node:*-slim. */
const STANDALONE_LIMIT_BYTES = 100 * 1000 * 1000;

describe('the standalone server copied out of the project folder', () => {
  let folder: string;
  let server: ChildProcess;
  let baseUrl: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'standalone-'));
    // verbatimSymlinks keeps Turbopack's relative links to external packages pointing inside the copy.
    cpSync('.next/standalone', folder, { recursive: true, verbatimSymlinks: true });
    const port = await freePort();
    server = spawn(process.execPath, ['server.js'], {
      cwd: folder,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: standaloneServerEnv({
        port,
        databaseUrl: inject('localDbUrl'),
        fetchEndpoint: inject('localDbEndpoint'),
      }),
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${baseUrl}/api/hello`, server, 60_000);
  });

  afterAll(() => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('weighs under 100 MB', () => {
    const { bytes } = folderSize('.next/standalone');
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(bytes).toBeLessThanOrEqual(STANDALONE_LIMIT_BYTES);
  });

  it('serves the API and the pages against the local endpoint', async () => {
    await expectDeployedAppAnswers(
      (path, init) =>
        fetch(new URL(path, baseUrl), { ...init, redirect: 'manual', signal: AbortSignal.timeout(20_000) }),
      'standalone',
    );
  });

  it('serves the pages’ static files', async () => {
    const html = await (await fetch(new URL('/login', baseUrl))).text();
    const script = html.match(/<script src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
    expect(script, 'the login page references a static chunk').toBeDefined();
    const response = await fetch(new URL(script!, baseUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });
});
