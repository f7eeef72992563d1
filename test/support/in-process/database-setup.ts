// Global setup for unit tests: one in-memory local endpoint, migrated, shared by every test file; a second one
// for the files whose tests are about a whole table (solo-database.ts); a server that accepts
// connections but never answers (a stalled database), and a port nobody listens on.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { freePort } from '../processes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localDb: { endpoint: string; connectionString: string };
    soloDb: { endpoint: string; connectionString: string };
    stalledEndpoint: string;
    refusedEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  const soloDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  const stalled = createServer(() => {});
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  project.provide('localDb', { endpoint: localDb.endpoint, connectionString: localDb.connectionString() });
  project.provide('soloDb', { endpoint: soloDb.endpoint, connectionString: soloDb.connectionString() });
  project.provide('refusedEndpoint', `http://127.0.0.1:${await freePort()}/sql`);
  project.provide('stalledEndpoint', `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/sql`);
  return async () => {
    stalled.close();
    await Promise.all([localDb.close(), soloDb.close()]);
  };
}
