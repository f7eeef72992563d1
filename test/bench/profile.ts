// Where our server's time goes under load: runs the built standalone server with `node --cpu-prof` on the
// local endpoint (PGlite), drives one endpoint, and prints self time by function and by package.
//   tsx test/bench/profile.ts [hello|list|one|create] [seconds]     (after npm run build)
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalDb } from '@/scripts/local-db/server.ts';
import { SERVER_JWT_SECRET, serverToken } from '@/test/support/over-http/server-settings.ts';
import type { LoadJob } from './load.ts';
import { seedThroughEndpoint } from './measure.ts';
import { LoadDriver, snapshotStandalone, startServer, waitUntilServing } from './processes.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package (or our own folder) a script belongs to, from its URL. */
function owner(url: string): string {
  if (!url) return '(native / idle / gc)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/edge/chunks/')) return 'edge bundle chunk';
  if (url.startsWith('wasm://')) return 'wasm';
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\/.*\/standalone\//, '');
}

function summarize(profile: CpuProfile, top: number): string {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (!time) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    byOwner.set(owner(url), (byOwner.get(owner(url)) ?? 0) + time);
  }
  const table = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => `${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `self time by package:\n${table(byOwner)}\n\nself time by function:\n${table(byFunction)}`;
}

async function main(): Promise<void> {
  const endpoint = process.argv[2] ?? 'list';
  const seconds = Number(process.argv[3] ?? 10);
  const token = await serverToken({ id: 1, role: 'admin' }, 3600);
  const auth = { authorization: `Bearer ${token}` };
  const jobs: Record<string, Omit<LoadJob, 'baseUrl' | 'connections' | 'durationSeconds'>> = {
    hello: { method: 'GET', path: '/api/hello', headers: {} },
    list: { method: 'GET', path: '/api/users', headers: auth },
    one: { method: 'GET', path: '/api/users/{id}', headers: auth, idRange: 10_000 },
    create: { method: 'POST', path: '/api/users', headers: auth, emailPrefix: `profile-${process.pid}` },
  };
  const job = jobs[endpoint];
  if (!job) throw new Error(`unknown endpoint ${endpoint}; one of ${Object.keys(jobs).join(', ')}`);

  const profiles = mkdtempSync(join(tmpdir(), 'edge-users-api-profile-'));
  const standalone = snapshotStandalone();
  const localDb = await startLocalDb({ port: 0, dataDir: 'memory:', quiet: true });
  const driver = new LoadDriver();
  try {
    await seedThroughEndpoint(localDb.endpoint, localDb.connectionString('seed'), 10_000);
    const server = await startServer('ours', {
      databaseUrl: localDb.connectionString('ours'),
      fetchEndpoint: localDb.endpoint,
      jwtSecret: SERVER_JWT_SECRET,
      standaloneDir: standalone.dir,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`],
    });
    try {
      await waitUntilServing(server);
      await driver.run({ ...job, baseUrl: server.baseUrl, connections: 10, durationSeconds: 2 });
      const result = await driver.run({ ...job, baseUrl: server.baseUrl, connections: 10, durationSeconds: seconds });
      console.log(`${endpoint}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms (under the profiler)`);
    } finally {
      await server.stop();
    }
    const file = readdirSync(profiles).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile was written (the server did not exit normally)');
    console.log(summarize(JSON.parse(readFileSync(join(profiles, file), 'utf8')) as CpuProfile, 30));
    console.log(`\nprofile: ${join(profiles, file)} (open in Chrome DevTools › Performance)`);
  } finally {
    driver.close();
    await localDb.close();
    standalone.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
