// Backend: PGlite (Postgres in WASM) in this process, one connection, requests served strictly one at a time.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { rawTextTypes, throwIfAborted, type Backend } from './backend.ts';
import { pgliteOptions } from './pglite-options.ts';

export const MEMORY = 'memory:';

/** PGlite in its data folder (made if missing), or in memory; the errors name the folder. */
export async function openPgliteDatabase(dataDir: string): Promise<PGlite> {
  const folder = dataDir === MEMORY ? undefined : resolve(dataDir);
  if (folder) {
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw new Error(`Cannot use data folder ${folder}: ${(error as Error).message}`);
    }
  }
  try {
    return await PGlite.create(pgliteOptions(folder));
  } catch (error) {
    throw new Error(`Cannot open PGlite in ${folder ?? 'memory'}: ${(error as Error).message}`);
  }
}

/**
 * node-postgres drives PGlite through PGlite's own pg connection shim, so both backends share one
 * protocol client: the same extended-protocol messages, the same RowDescription and error fields.
 */
export async function openPglite(dataDir: string): Promise<Backend> {
  const folder = dataDir === MEMORY ? undefined : resolve(dataDir);
  const database = await openPgliteDatabase(dataDir);

  let client: pg.Client | undefined;
  let broken = false;
  async function connection(): Promise<pg.Client> {
    if (client && !broken) return client;
    if (client) client.end().catch(() => undefined);
    const config = createPgConfig(database);
    const fresh = new pg.Client({ ...config, connection: config.connection, types: rawTextTypes } as pg.ClientConfig);
    // A protocol-level failure kills only this client object; the next request opens another on the same PGlite.
    fresh.on('error', () => {
      broken = true;
    });
    await fresh.connect();
    client = fresh;
    broken = false;
    return fresh;
  }

  // PGlite is a single connection: a promise chain makes every request wait for the previous one.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  // A request whose client left while it waited its turn is dropped there; PGlite cannot interrupt a
  // running statement, so a batch is stopped between statements and rolled back (execute.ts).
  function withConnection<T>(work: (client: pg.ClientBase) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (closed) return Promise.reject(new Error('The local database is closed'));
    const turn = queue.then(async () => {
      throwIfAborted(signal);
      return work(await connection());
    });
    queue = turn.catch(() => undefined);
    return turn;
  }

  return {
    description: `PGlite (${folder ?? 'in memory'})`,
    withConnection,
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await client?.end().catch(() => undefined);
      await database.close();
    },
  };
}
