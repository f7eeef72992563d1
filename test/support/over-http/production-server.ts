// Global setup for integration tests: builds the app, starts its standalone server on the local endpoint
// (in memory), waits until it answers, and stops both afterwards.
import { spawn, spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { standaloneServerEnv } from './server-settings.ts';
import { freePort, waitUntilReady } from '../processes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    localDbEndpoint: string;
    localDbUrl: string;
  }
}

const STANDALONE_SERVER = '.next/standalone/server.js';

export default async function setup(project: TestProject) {
  if (process.env.SKIP_BUILD !== '1') {
    const build = spawnSync('npm', ['run', 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  const port = await freePort();
  // The standalone server, as `npm start` and the container run it; in its own process group,
  // so stopping it stops everything it forks.
  const server = spawn(process.execPath, [STANDALONE_SERVER], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: standaloneServerEnv({ port, databaseUrl: localDb.connectionString(), fetchEndpoint: localDb.endpoint }),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${baseUrl}/api/hello`, server, 60_000);
  project.provide('baseUrl', baseUrl);
  project.provide('localDbEndpoint', localDb.endpoint);
  project.provide('localDbUrl', localDb.connectionString());
  return async () => {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await localDb.close();
  };
}
