// The standalone server (`.next/standalone/server.js`), as `npm start` and the container run it, started for tests.
import { spawn } from 'node:child_process';
import { freePort, waitUntilReady } from '../processes.ts';
import { standaloneServerEnv } from './server-settings.ts';

export interface StandaloneServer {
  origin: string;
  stop(): void;
}

/**
 * Starts the built server on a free port with the suites' settings (and `settings.extra`), in its own process group
 * so that stopping it stops everything it forks, and resolves once it answers. `logs` shows its output.
 */
export async function startStandaloneServer(
  settings: Omit<Parameters<typeof standaloneServerEnv>[0], 'port'>,
  { logs = false } = {},
): Promise<StandaloneServer> {
  const port = await freePort();
  const server = spawn(process.execPath, ['.next/standalone/server.js'], {
    detached: true,
    stdio: ['ignore', logs ? 'inherit' : 'ignore', 'inherit'],
    env: standaloneServerEnv({ ...settings, port }),
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${origin}/api/hello`, server, 60_000);
  return {
    origin,
    stop: () => {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    },
  };
}
