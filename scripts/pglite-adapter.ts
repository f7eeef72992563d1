// A Prisma driver adapter over in-memory PGlite databases, for Prisma's schema engine (WASM build) only.
//
// @prisma/adapter-pg cannot serve the engine: it refuses Postgres' one-byte "char" type (OID 18), which
// the engine's schema describer reads (pg_constraint.contype), and it runs a script by splitting it on
// ";", which breaks a migration with a string literal or a function body. PGlite's own query API gives
// exactly what the engine asks for: typed columns, and whole scripts over the simple query protocol.
import { PGlite, types, type Results } from '@electric-sql/pglite';
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type ColumnType,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';

/** Postgres type OIDs the engine reads, with the column type it expects and how a text value becomes one. */
const COLUMN_TYPES: Record<number, { type: ColumnType; parse: (text: string) => unknown }> = {
  16: { type: ColumnTypeEnum.Boolean, parse: (text) => text === 't' },
  18: { type: ColumnTypeEnum.Character, parse: (text) => text },
  19: { type: ColumnTypeEnum.Text, parse: (text) => text }, // name
  20: { type: ColumnTypeEnum.Int64, parse: (text) => text },
  21: { type: ColumnTypeEnum.Int32, parse: Number },
  23: { type: ColumnTypeEnum.Int32, parse: Number },
  25: { type: ColumnTypeEnum.Text, parse: (text) => text },
  26: { type: ColumnTypeEnum.Int64, parse: (text) => text }, // oid
  114: { type: ColumnTypeEnum.Json, parse: (text) => text },
  700: { type: ColumnTypeEnum.Float, parse: Number },
  701: { type: ColumnTypeEnum.Double, parse: Number },
  1042: { type: ColumnTypeEnum.Text, parse: (text) => text }, // bpchar
  1043: { type: ColumnTypeEnum.Text, parse: (text) => text }, // varchar
  1082: { type: ColumnTypeEnum.Date, parse: (text) => text },
  1114: { type: ColumnTypeEnum.DateTime, parse: (text) => text },
  1184: { type: ColumnTypeEnum.DateTime, parse: (text) => text },
  1700: { type: ColumnTypeEnum.Numeric, parse: (text) => text },
  2950: { type: ColumnTypeEnum.Uuid, parse: (text) => text },
  3802: { type: ColumnTypeEnum.Json, parse: (text) => text },
};

/** Arrays of those types, which the describer aggregates (index columns, enum values). */
const ARRAYS: Record<number, { element: number; type: ColumnType }> = {
  1000: { element: 16, type: ColumnTypeEnum.BooleanArray },
  1002: { element: 18, type: ColumnTypeEnum.CharacterArray },
  1003: { element: 19, type: ColumnTypeEnum.TextArray },
  1005: { element: 21, type: ColumnTypeEnum.Int32Array },
  1007: { element: 23, type: ColumnTypeEnum.Int32Array },
  1009: { element: 25, type: ColumnTypeEnum.TextArray },
  1015: { element: 1043, type: ColumnTypeEnum.TextArray },
  1016: { element: 20, type: ColumnTypeEnum.Int64Array },
};
for (const [oid, { element, type }] of Object.entries(ARRAYS)) {
  const parse = COLUMN_TYPES[element]!.parse;
  COLUMN_TYPES[Number(oid)] = { type, parse: (text) => types.arrayParser(text, parse, Number(oid)) };
}

/** Every value arrives as Postgres' text, converted by COLUMN_TYPES rather than PGlite's own parsers. */
const TEXT_PARSERS = Object.fromEntries(Object.keys(COLUMN_TYPES).map((oid) => [oid, (text: string) => text]));

function driverError(error: unknown): never {
  if (error instanceof DriverAdapterError) throw error;
  const database = error as { code?: string; severity?: string; message?: string; detail?: string; hint?: string };
  if (!database.code) throw error;
  throw new DriverAdapterError({
    kind: 'postgres',
    code: database.code,
    severity: database.severity ?? 'ERROR',
    message: database.message ?? String(error),
    detail: database.detail,
    column: undefined,
    hint: database.hint,
  });
}

function toResultSet(result: Results<unknown[]>): SqlResultSet {
  const columns = result.fields.map((field) => {
    const column = COLUMN_TYPES[field.dataTypeID];
    if (!column) throw new DriverAdapterError({ kind: 'UnsupportedNativeDataType', type: `oid ${field.dataTypeID}` });
    return column;
  });
  return {
    columnNames: result.fields.map((field) => field.name),
    columnTypes: columns.map((column) => column.type),
    rows: result.rows.map((row) => row.map((value, i) => (value === null ? null : columns[i]!.parse(value as string)))),
  };
}

function queryable(database: () => Promise<PGlite>) {
  const run = async (query: SqlQuery) =>
    (await database())
      .query<unknown[]>(query.sql, query.args, { rowMode: 'array', parsers: TEXT_PARSERS })
      .catch(driverError);
  return {
    provider: 'postgres' as const,
    adapterName: 'pglite',
    queryRaw: async (query: SqlQuery) => toResultSet(await run(query)),
    executeRaw: async (query: SqlQuery) => (await run(query)).affectedRows ?? 0,
  };
}

/** A connection to the shared scratch database; the engine issues COMMIT and ROLLBACK itself. */
function connection(database: () => Promise<PGlite>): SqlDriverAdapter {
  const exec = async (sql: string) => (await database()).exec(sql).catch(driverError);
  const base = queryable(database);
  return {
    ...base,
    async executeScript(script) {
      await exec(script);
    },
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      await exec(`BEGIN${isolationLevel ? ` ISOLATION LEVEL ${isolationLevel}` : ''}`);
      return { ...base, options: { usePhantomQuery: false }, commit: async () => {}, rollback: async () => {} };
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => undefined,
  };
}

/**
 * One empty in-memory database that serves as both the main and the shadow database: comparing schemas
 * reads only the server version from the main one, and PGlite takes seconds to start, so one is enough.
 */
export function scratchDatabase(): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> } {
  let started: Promise<PGlite> | undefined;
  const database = () => (started ??= PGlite.create());
  const connect = async () => connection(database);
  return {
    factory: { provider: 'postgres', adapterName: 'pglite', connect, connectToShadowDb: connect },
    close: async () => (started ? (await started).close() : undefined),
  };
}
