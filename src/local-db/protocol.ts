// Neon SQL-over-HTTP wire shapes: parsing a POST /sql request and shaping replies and errors.

export type IsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';

export interface SqlStatement {
  query: string;
  params: (string | null)[];
}

export interface BatchOptions {
  isolationLevel?: IsolationLevel;
  readOnly?: boolean;
  deferrable?: boolean;
}

export interface SqlRequest {
  /** Database name of the Neon-Connection-String URL; the round-trip counter's tag. */
  tag: string;
  arrayMode: boolean;
  rawTextOutput: boolean;
  statements: SqlStatement[];
  /** Present when the body was `{queries: [...]}`: run them atomically. */
  batch?: BatchOptions;
}

export interface FieldDescription {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: 'text' | 'binary';
}

/** One statement's outcome as node-postgres reports it, values still Postgres text. */
export interface RawResult {
  command: string;
  rowCount: number | null;
  fields: FieldDescription[];
  rows: (string | null)[][];
}

export interface QueryReply {
  fields: FieldDescription[];
  command: string;
  rowCount: number | null;
  rows: unknown[];
  rowAsArray: boolean;
}

/** A request the endpoint refuses before touching the database. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

const isolationLevels: Record<string, IsolationLevel> = {
  readuncommitted: 'ReadUncommitted',
  readcommitted: 'ReadCommitted',
  repeatableread: 'RepeatableRead',
  serializable: 'Serializable',
};

export const isolationLevelSql: Record<IsolationLevel, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/** The fields the driver copies from a 400 reply onto its NeonDbError (and Prisma's adapter reads). */
export const postgresErrorFields = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function booleanHeader(headers: Headers, name: string): boolean | undefined {
  const value = header(headers, name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new RequestError(400, `Header ${name} must be "true" or "false", got "${value}"`);
}

/** The tag is the connection string's database name; a missing or odd header counts under "local". */
export function tagFromConnectionString(connectionString: string | undefined): string {
  if (!connectionString) return 'local';
  try {
    const url = new URL(connectionString.replace(/^postgres(ql)?:/, 'http:'));
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    return database || 'local';
  } catch {
    throw new RequestError(400, 'Header Neon-Connection-String is not a valid connection URL');
  }
}

/**
 * The driver has already turned every parameter into Postgres text (or null); other clients may
 * send plain JSON values, which get the same treatment node-postgres gives them.
 */
function toParam(value: unknown, index: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  throw new RequestError(400, `Parameter $${index + 1} has an unsupported type`);
}

function toStatement(value: unknown, where: string): SqlStatement {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError(400, `${where} must be an object with "query" and "params"`);
  }
  const { query, params } = value as { query?: unknown; params?: unknown };
  if (typeof query !== 'string' || query.trim() === '') {
    throw new RequestError(400, `${where} is missing "query" (a non-empty string)`);
  }
  if (params !== undefined && params !== null && !Array.isArray(params)) {
    throw new RequestError(400, `${where}: "params" must be an array`);
  }
  return { query, params: (params ?? []).map(toParam) };
}

export function parseSqlRequest(headers: Headers, body: string): SqlRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new RequestError(400, 'Request body is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RequestError(400, 'Request body must be a JSON object: {query, params} or {queries: [...]}');
  }
  const tag = tagFromConnectionString(header(headers, 'Neon-Connection-String'));
  const arrayMode = booleanHeader(headers, 'Neon-Array-Mode') ?? false;
  const rawTextOutput = booleanHeader(headers, 'Neon-Raw-Text-Output') ?? false;
  const { queries } = json as { queries?: unknown };
  if (queries === undefined) {
    return { tag, arrayMode, rawTextOutput, statements: [toStatement(json, 'Request body')] };
  }
  if (!Array.isArray(queries)) throw new RequestError(400, '"queries" must be an array');
  const levelHeader = header(headers, 'Neon-Batch-Isolation-Level');
  let isolationLevel: IsolationLevel | undefined;
  if (levelHeader !== undefined) {
    isolationLevel = isolationLevels[levelHeader.toLowerCase().replace(/[\s_-]/g, '')];
    if (!isolationLevel) {
      throw new RequestError(400, `Header Neon-Batch-Isolation-Level has an unknown value "${levelHeader}"`);
    }
  }
  return {
    tag,
    arrayMode,
    rawTextOutput,
    statements: queries.map((query, index) => toStatement(query, `queries[${index}]`)),
    batch: {
      isolationLevel,
      readOnly: booleanHeader(headers, 'Neon-Batch-Read-Only'),
      deferrable: booleanHeader(headers, 'Neon-Batch-Deferrable'),
    },
  };
}

/** BEGIN with the batch's options, in the order Postgres's grammar accepts them. */
export function beginStatement({ isolationLevel, readOnly, deferrable }: BatchOptions): string {
  const modes: string[] = [];
  if (isolationLevel) modes.push(`ISOLATION LEVEL ${isolationLevelSql[isolationLevel]}`);
  if (readOnly !== undefined) modes.push(readOnly ? 'READ ONLY' : 'READ WRITE');
  if (deferrable !== undefined) modes.push(deferrable ? 'DEFERRABLE' : 'NOT DEFERRABLE');
  return modes.length ? `BEGIN ${modes.join(', ')}` : 'BEGIN';
}

export function errorReply(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof RequestError) return { status: error.status, body: { message: error.message } };
  const candidate = error as Record<string, unknown> | null;
  // A SQLSTATE code marks an error Postgres itself raised: the client's fault, reported as Neon does.
  if (candidate && typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
    const body: Record<string, unknown> = { message: String(candidate.message ?? 'database error') };
    for (const field of postgresErrorFields) {
      if (candidate[field] !== undefined) body[field] = candidate[field];
    }
    return { status: 400, body };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { message: `Local database failure: ${message}` } };
}
