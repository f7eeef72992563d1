// What Prisma's schema engine (WASM build) expects back from a driver adapter: typed columns from Postgres' text
// values, and Postgres errors in Prisma's shape. Shared by the PGlite adapter (scratch databases) and the
// PostgreSQL one (npm run migrate).
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type ColumnType,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

/** Postgres' `2026-12-07 03:10:54.674+00` as the engine reads a datetime: `2026-12-07T03:10:54.674+00:00`. */
function rfc3339(text: string): string {
  return text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
}

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
  1114: { type: ColumnTypeEnum.DateTime, parse: (text) => `${text.replace(' ', 'T')}+00:00` },
  1184: { type: ColumnTypeEnum.DateTime, parse: rfc3339 },
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
/** node-postgres' array literal parser (its types declare an older signature than the one it ships). */
const arrayParser = pg.types.arrayParser as unknown as {
  create(source: string, transform: (text: string) => unknown): { parse(): unknown[] };
};
for (const [oid, { element, type }] of Object.entries(ARRAYS)) {
  const parse = COLUMN_TYPES[element]!.parse;
  COLUMN_TYPES[Number(oid)] = { type, parse: (text) => arrayParser.create(text, parse).parse() };
}

/** The OIDs the engine's results are read with: every value arrives as Postgres' text. */
export const ENGINE_TYPE_OIDS = Object.keys(COLUMN_TYPES).map(Number);

export function driverError(error: unknown): never {
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

/** Text rows (as both PGlite and node-postgres give them with text parsers) to the engine's typed result set. */
export function toResultSet(fields: { name: string; dataTypeID: number }[], rows: unknown[][]): SqlResultSet {
  const columns = fields.map((field) => {
    const column = COLUMN_TYPES[field.dataTypeID];
    if (!column) throw new DriverAdapterError({ kind: 'UnsupportedNativeDataType', type: `oid ${field.dataTypeID}` });
    return column;
  });
  return {
    columnNames: fields.map((field) => field.name),
    columnTypes: columns.map((column) => column.type),
    rows: rows.map((row) => row.map((value, i) => (value === null ? null : columns[i]!.parse(value as string)))),
  };
}

/**
 * A connection for the schema engine from something that queries and runs SQL text: the engine sends BEGIN,
 * COMMIT and ROLLBACK itself, as SQL on this connection, so a transaction is the same connection.
 */
export function engineConnection(
  queryable: Pick<SqlDriverAdapter, 'provider' | 'adapterName' | 'queryRaw' | 'executeRaw'>,
  runScript: (sql: string) => Promise<unknown>,
): SqlDriverAdapter {
  return {
    ...queryable,
    async executeScript(script) {
      await runScript(script);
    },
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      await runScript(`BEGIN${isolationLevel ? ` ISOLATION LEVEL ${isolationLevel}` : ''}`);
      return { ...queryable, options: { usePhantomQuery: false }, commit: async () => {}, rollback: async () => {} };
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => undefined,
  };
}
