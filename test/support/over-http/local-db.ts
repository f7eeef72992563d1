// Global setup for the platform builds: the local endpoint (in memory) that their functions query. They build
// the project themselves, in a copy of it, so this suite needs neither the shared build nor its server.
import type { TestProject } from 'vitest/node';
import { startLocalDb } from '@/scripts/local-db/server.ts';

export default async function setup(project: TestProject) {
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  project.provide('localDbEndpoint', localDb.endpoint);
  project.provide('localDbUrl', localDb.connectionString());
  return () => localDb.close();
}
