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
 * so that stopping it stops everything it forks, and resolves once it answers. `logs` shows its output; `output`
 * collects it (standard output and error, as they come), its errors still shown.
 */
export async function startStandaloneServer(
  settings: Omit<Parameters<typeof standaloneServerEnv>[0], 'port'>,
  { logs = false, output }: { logs?: boolean; output?: string[] } = {},
): Promise<StandaloneServer> {
  const port = await freePort();
  const server = spawn(process.execPath, ['.next/standalone/server.js'], {
    detached: true,
    stdio: ['ignore', output ? 'pipe' : logs ? 'inherit' : 'ignore', output ? 'pipe' : 'inherit'],
    env: standaloneServerEnv({ ...settings, port }),
  });
  if (output) {
    server.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      process.stderr.write(chunk);
    });
  }
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${origin}/api/hello`, server, 60_000);
  return {
    origin,
    stop: () => {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    },
  };
}
