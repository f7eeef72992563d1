// A Prisma driver adapter over in-memory PGlite databases, for Prisma's schema engine (WASM build) only.
//
// @prisma/adapter-pg cannot serve the engine: it refuses Postgres' one-byte "char" type (OID 18), which
// the engine's schema describer reads (pg_constraint.contype), and it runs a script by splitting it on
// ";", which breaks a migration with a string literal or a function body. PGlite's own query API gives
// exactly what the engine asks for: typed columns, and whole scripts over the simple query protocol.
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import { pgliteOptions } from './local-db/pglite-options.ts';
import { driverError, engineConnection, ENGINE_TYPE_OIDS, toResultSet } from './engine-results.ts';

/** Every value arrives as Postgres' text, converted by the engine's column types rather than PGlite's own parsers. */
const TEXT_PARSERS = Object.fromEntries(ENGINE_TYPE_OIDS.map((oid) => [oid, (text: string) => text]));

function queryable(database: () => Promise<PGlite>) {
  const run = async (query: SqlQuery) =>
    (await database())
      .query<unknown[]>(query.sql, query.args, { rowMode: 'array', parsers: TEXT_PARSERS })
      .catch(driverError);
  return {
    provider: 'postgres' as const,
    adapterName: 'pglite',
    queryRaw: async (query: SqlQuery) => {
      const result = await run(query);
      return toResultSet(result.fields, result.rows);
    },
    executeRaw: async (query: SqlQuery) => (await run(query)).affectedRows ?? 0,
  };
}

/** A connection to the shared scratch database; the engine issues COMMIT and ROLLBACK itself. */
function connection(database: () => Promise<PGlite>): SqlDriverAdapter {
  const exec = async (sql: string) => (await database()).exec(sql).catch(driverError);
  return engineConnection(queryable(database), exec);
}

/**
 * One empty in-memory database that serves as both the main and the shadow database: comparing schemas
 * reads only the server version from the main one, and PGlite takes seconds to start, so one is enough.
 */
export function scratchDatabase(): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> } {
  let started: Promise<PGlite> | undefined;
  const database = () => (started ??= PGlite.create(pgliteOptions()));
  const connect = async () => connection(database);
  return {
    factory: { provider: 'postgres', adapterName: 'pglite', connect, connectToShadowDb: connect },
    close: async () => (started ? (await started).close() : undefined),
  };
}
