// Environment settings shared by the CLI and the launcher (Node-only tooling, outside src/env.ts's edge settings).
import { DEFAULT_DATA_DIR, type LocalDbOptions } from './server.ts';

export const DEFAULT_PORT = 4444;

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalDbOptions & { port: number } {
  const rawPort = env.LOCAL_DB_PORT?.trim();
  const port = rawPort ? Number(rawPort) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`LOCAL_DB_PORT must be a port number (0-65535), got "${rawPort}"`);
  }
  return {
    port,
    dataDir: env.LOCAL_DB_DIR?.trim() || DEFAULT_DATA_DIR,
    postgresUrl: env.LOCAL_DB_POSTGRES_URL?.trim() || undefined,
  };
}

export function describeTarget(settings: LocalDbOptions): string {
  if (settings.postgresUrl) {
    try {
      const url = new URL(settings.postgresUrl);
      return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return 'PostgreSQL';
    }
  }
  return settings.dataDir === 'memory:' ? 'PGlite in memory' : `PGlite in ${settings.dataDir ?? DEFAULT_DATA_DIR}`;
}
