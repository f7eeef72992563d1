// `npm run db:postgres [-- --port 5433]`: serves the embedded database (the PGlite folder) over the
// PostgreSQL wire protocol, for tools that need a PostgreSQL connection: Prisma Studio, `prisma db pull`,
// `prisma migrate dev`, psql; and the local Neon-protocol endpoint in front of that same connection, for
// the app. A second, empty in-memory database on the next port is the shadow database `prisma migrate dev`
// needs (PGlite serves one database per instance, so the engine cannot create one).
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import nextEnv from '@next/env';
import { readCommandLine, UsageError } from './command-line.ts';
import { dataFolderPassword } from './local-db/credentials.ts';
import { pgliteOptions } from './local-db/pglite-options.ts';
import { MEMORY, startLocalDb, targetIdentity } from './local-db/server.ts';
import { describeTarget, settingsFromEnv } from './local-db/settings.ts';
import { localEndpointRunning } from './local-endpoint.ts';

const DEFAULT_PORT = 5433;

const USAGE = `usage: npm run db:postgres [-- --port <port>]

Serves the embedded database (the PGlite data folder) over the PostgreSQL wire protocol, for Prisma Studio, psql
and Prisma's CLI, with an empty shadow database on the next port and the app's local endpoint in front of the same
database (npm run dev then uses it). Stop npm run dev first: only one process may open the folder.
  --port <port>    where to listen (default ${DEFAULT_PORT}; the shadow database takes the next one)
  --help           this text`;

async function serve(db: PGlite, port: number): Promise<PGLiteSocketServer> {
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 16 });
  await server.start();
  return server;
}

async function main(): Promise<void> {
  const { values } = readCommandLine(
    USAGE,
    { port: { type: 'string' } },
    {
      check: ({ values }) => {
        const port = Number(values.port ?? DEFAULT_PORT);
        if (!Number.isInteger(port) || port < 1 || port > 65534)
          throw new UsageError(`--port must be a port number from 1 to 65534, got "${values.port}"`);
      },
    },
  );
  const port = Number(values.port ?? DEFAULT_PORT);
  nextEnv.loadEnvConfig(process.cwd());
  const settings = settingsFromEnv();
  if (settings.postgresUrl) {
    throw new Error(
      `the local endpoint uses the PostgreSQL server in LOCAL_DB_POSTGRES_URL; point your tools at it directly`,
    );
  }
  if (await localEndpointRunning(settings.port)) {
    throw new Error(
      `the local endpoint on port ${settings.port} has the database open; stop it and start this instead`,
    );
  }
  const folder = settings.dataDir === MEMORY ? undefined : resolve(settings.dataDir!);
  if (folder) await mkdir(folder, { recursive: true });
  const main = await PGlite.create(pgliteOptions(folder));
  const shadow = await PGlite.create(pgliteOptions());
  const servers = [await serve(main, port), await serve(shadow, port + 1)];
  const url = (p: number) => `postgresql://postgres@127.0.0.1:${p}/postgres?sslmode=disable`;
  // The app's endpoint runs through the same connection and applies pending migrations: `npm run dev`
  // finds it on LOCAL_DB_PORT and uses it, so the app and the tools share one database. It answers as the
  // data folder's own endpoint would (its identity and password), which is how the launcher recognises it.
  const endpoint = await startLocalDb({
    port: settings.port,
    postgresUrl: url(port),
    ...(folder ? { identity: targetIdentity({ dataDir: folder }), password: dataFolderPassword(folder) } : {}),
  });
  console.log(
    `The embedded database (${describeTarget(settings)}):\n` +
      `  over PostgreSQL:  DATABASE_URL=${url(port)}\n` +
      `  shadow database:  SHADOW_DATABASE_URL=${url(port + 1)}   (empty, for prisma migrate dev)\n` +
      `  for the app:      ${endpoint.endpoint} (npm run dev uses it)\n` +
      `Stop with Ctrl-C.`,
  );

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Closing PGlite flushes it to its folder; exiting before that could lose committed rows.
    endpoint
      .close()
      .then(() => Promise.all(servers.map((server) => server.stop())))
      .then(() => Promise.all([main.close(), shadow.close()]))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`db:postgres: error while closing: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`db:postgres: ${(error as Error).message}`);
  process.exit(1);
});
