// Global setup for integration tests: builds the app, starts its standalone server on the local endpoint
// (in memory), waits until it answers, and stops both afterwards.
import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { startStandaloneServer } from './standalone-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    localDbEndpoint: string;
    localDbUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.SKIP_BUILD !== '1') {
    const build = spawnSync('npm', ['run', 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  const server = await startStandaloneServer(
    { databaseUrl: localDb.connectionString(), fetchEndpoint: localDb.endpoint },
    { logs: true },
  );
  project.provide('baseUrl', server.origin);
  project.provide('localDbEndpoint', localDb.endpoint);
  project.provide('localDbUrl', localDb.connectionString());
  return async () => {
    server.stop();
    await localDb.close();
  };
}
