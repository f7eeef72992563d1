// A Prisma driver adapter over one node-postgres connection, for Prisma's schema engine (WASM build) in
// `npm run migrate`: a real PostgreSQL server, Neon's direct connection, or PGlite over the wire protocol.
//
// One connection, because the engine's advisory lock (pg_advisory_lock) belongs to a session: it holds while the
// connection lives and is released when it closes. A script (a migration file) goes over the simple query
// protocol whole, as the native engine sends it: Postgres runs its statements as one implicit transaction.
// @prisma/adapter-pg would not do: it refuses the one-byte "char" type the engine's describer reads, and splits
// scripts on ";".
import type { SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { driverError, engineConnection, toResultSet } from '../engine-results.ts';

/** Every value arrives as Postgres' text; the engine's column types convert it. */
const TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export interface PostgresConnection {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** One statement of the command's own (counted with the engine's); a database error keeps its SQLSTATE `code`. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** The last error the server sent for one of the engine's statements, in its own words. */
  lastDatabaseError(): { code: string; message: string; detail?: string } | undefined;
  /** Statements sent so far (each one a round trip), the engine's and ours. */
  statements(): number;
  close(): Promise<void>;
}

/** Opens the connection (refusing early, with the server's words, when it cannot be made). */
export async function connectPostgres(connectionString: string): Promise<PostgresConnection> {
  const client = new pg.Client({ connectionString, types: TEXT, application_name: 'migrate' });
  // A connection the server drops must surface as the next statement's error, not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  let count = 0;
  let lastError: { code: string; message: string; detail?: string } | undefined;
  const send = (config: pg.QueryConfig | pg.QueryArrayConfig | string) => {
    count += 1;
    return client.query(config as pg.QueryConfig).catch((error: unknown) => {
      const { code, message, detail } = error as { code?: unknown; message?: string; detail?: string };
      if (typeof code === 'string') lastError = { code, message: message ?? '', ...(detail ? { detail } : {}) };
      return driverError(error);
    });
  };
  const queryable = {
    provider: 'postgres' as const,
    adapterName: 'node-postgres (migrate)',
    async queryRaw(query: SqlQuery) {
      const result = await send({ text: query.sql, values: query.args as unknown[], rowMode: 'array' });
      return toResultSet(result.fields, result.rows as unknown[][]);
    },
    async executeRaw(query: SqlQuery) {
      return (await send({ text: query.sql, values: query.args as unknown[] })).rowCount ?? 0;
    },
  };
  const adapter = engineConnection(queryable, send);
  return {
    factory: {
      provider: 'postgres',
      adapterName: adapter.adapterName,
      connect: async () => adapter,
      connectToShadowDb: async () => {
        throw new Error('npm run migrate never needs a shadow database');
      },
    },
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      count += 1;
      return (await client.query<R>(text, values)).rows;
    },
    lastDatabaseError: () => lastError,
    statements: () => count,
    close: () => client.end().catch(() => undefined),
  };
}
