// Neon SQL-over-HTTP wire shapes: parsing a POST /sql request and shaping replies and errors.

export type IsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';

export interface SqlStatement {
  query: string;
  params: (string | null)[];
  /** The body's per-query `arrayMode`, else the Neon-Array-Mode header. */
  arrayMode: boolean;
}

export interface BatchOptions {
  isolationLevel?: IsolationLevel;
  readOnly: boolean;
  deferrable: boolean;
}

/** What the Neon-Connection-String header says: who connects, to which database, under which counter tag. */
export interface ConnectionInfo {
  user: string;
  password: string;
  database: string;
  /** `application_name` of the URL, else the database name: the round-trip counter's tag. */
  tag: string;
}

export interface SqlRequest {
  connection: ConnectionInfo;
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

/**
 * A request the endpoint refuses. With `neon`, the reply takes the shape Neon's proxy gives its own
 * errors (every Postgres error field present, null when unknown); without, it is a local-only refusal.
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly neon?: Partial<Record<(typeof postgresErrorFields)[number], string>>,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Neon's proxy refuses a request, as in proxy/src/serverless/sql_over_http.rs: 400 and its message. */
export const neonRefusal = (message: string, fields: RequestError['neon'] = {}) =>
  new RequestError(400, message, fields);

/** Neon's proxy matches these header values byte for byte (map_header_to_isolation_level). */
const isolationLevels = new Set<string>(['Serializable', 'ReadUncommitted', 'ReadCommitted', 'RepeatableRead']);

export const isolationLevelSql: Record<IsolationLevel, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/** The fields of Neon's error reply after `message`, in its order; the driver copies them onto NeonDbError. */
export const postgresErrorFields = [
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'severity',
  'where',
  'table',
  'column',
  'schema',
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

/** As Neon: exactly "true" is true, anything else (or nothing) false. */
const flagHeader = (headers: Headers, name: string) => header(headers, name) === 'true';

/** Neon's get_conn_info: the checks, in its order, with its messages. */
export function parseConnectionString(value: string | undefined): ConnectionInfo {
  if (value === undefined || !/^[\x20-\x7e]*$/.test(value)) throw neonRefusal('invalid header: neon-connection-string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const reason = /^[a-z][a-z0-9+.-]*:/i.test(value) ? 'invalid URL' : 'relative URL without a base';
    throw neonRefusal(`invalid connection string: ${reason}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw neonRefusal('incorrect scheme');
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw neonRefusal('invalid connection string: invalid percent-encoding');
    }
  };
  const database = decode(url.pathname.replace(/^\//, '').split('/')[0] ?? '');
  const user = decode(url.username);
  if (!user) throw neonRefusal('missing username');
  if (!url.password) throw neonRefusal('missing authentication credentials: required password');
  return {
    user,
    password: decode(url.password),
    // Postgres connects an empty database name to the database named like the user.
    database: database || user,
    tag: url.searchParams.get('application_name') || database || user,
  };
}

/** The round-trip counter's tag of a connection string (its application_name, else its database). */
export function tagFromConnectionString(connectionString: string | undefined): string {
  return parseConnectionString(connectionString).tag;
}

/** As Neon's json_to_pg_text: null stays NULL, strings pass as they are, arrays become Postgres array literals. */
function toParam(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return toArrayLiteral(value);
  return JSON.stringify(value);
}

function toArrayLiteral(value: unknown): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return `{${value.map(toArrayLiteral).join(',')}}`;
  // Inside an array, strings are quoted and escaped (JSON's escaping is what Neon uses), objects go as JSON text.
  return JSON.stringify(typeof value === 'object' ? JSON.stringify(value) : value);
}

const unparsable = (detail: string) => neonRefusal(`could not parse the HTTP request body: ${detail}`);

function toStatement(value: unknown, where: string, defaultArrayMode: boolean): SqlStatement {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw unparsable(`${where} must be an object with "query" and "params"`);
  }
  const { query, params, arrayMode } = value as { query?: unknown; params?: unknown; arrayMode?: unknown };
  if (typeof query !== 'string') throw unparsable(`${where} is missing "query" (a string)`);
  if (params !== undefined && params !== null && !Array.isArray(params)) {
    throw unparsable(`${where}: "params" must be an array`);
  }
  if (arrayMode !== undefined && arrayMode !== null && typeof arrayMode !== 'boolean') {
    throw unparsable(`${where}: "arrayMode" must be a boolean`);
  }
  return {
    query,
    params: ((params ?? []) as unknown[]).map(toParam),
    arrayMode: typeof arrayMode === 'boolean' ? arrayMode : defaultArrayMode,
  };
}

/** The connection and the options every request carries in its headers, checked before the body is read. */
export function parseRequestHeaders(headers: Headers): Omit<SqlRequest, 'statements' | 'batch'> & {
  arrayMode: boolean;
  batch: BatchOptions;
} {
  const connection = parseConnectionString(header(headers, 'Neon-Connection-String'));
  const level = header(headers, 'Neon-Batch-Isolation-Level');
  // Neon checks the level on every request, a single query included.
  if (level !== undefined && !isolationLevels.has(level)) throw neonRefusal('invalid isolation level');
  return {
    connection,
    rawTextOutput: flagHeader(headers, 'Neon-Raw-Text-Output'),
    arrayMode: flagHeader(headers, 'Neon-Array-Mode'),
    batch: {
      isolationLevel: level as IsolationLevel | undefined,
      readOnly: flagHeader(headers, 'Neon-Batch-Read-Only'),
      deferrable: flagHeader(headers, 'Neon-Batch-Deferrable'),
    },
  };
}

export function parseSqlRequest(headers: Headers, body: string): SqlRequest {
  const { connection, rawTextOutput, arrayMode, batch } = parseRequestHeaders(headers);
  return { connection, rawTextOutput, ...parseBody(body, arrayMode, batch) };
}

export function parseBody(
  body: string,
  arrayMode: boolean,
  batch: BatchOptions,
): Pick<SqlRequest, 'statements' | 'batch'> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw unparsable((error as Error).message);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw unparsable('expected a JSON object: {query, params} or {queries: [...]}');
  }
  const { queries } = json as { queries?: unknown };
  if (queries === undefined) return { statements: [toStatement(json, 'the body', arrayMode)] };
  if (!Array.isArray(queries)) throw unparsable('"queries" must be an array');
  return { statements: queries.map((query, index) => toStatement(query, `queries[${index}]`, arrayMode)), batch };
}

/** BEGIN with the batch's options, as Neon's transaction builder writes them. */
export function beginStatement({ isolationLevel, readOnly, deferrable }: BatchOptions): string {
  const modes: string[] = [];
  if (isolationLevel) modes.push(`ISOLATION LEVEL ${isolationLevelSql[isolationLevel]}`);
  if (readOnly) modes.push('READ ONLY');
  if (deferrable) modes.push('DEFERRABLE');
  return modes.length ? `BEGIN ${modes.join(', ')}` : 'BEGIN';
}

/** The response headers Neon adds to a batch's reply, echoing the options it ran with. */
export function batchReplyHeaders({ isolationLevel, readOnly, deferrable }: BatchOptions): Record<string, string> {
  return {
    ...(readOnly ? { 'neon-batch-read-only': 'true' } : {}),
    ...(deferrable ? { 'neon-batch-deferrable': 'true' } : {}),
    ...(isolationLevel ? { 'neon-batch-isolation-level': isolationLevel } : {}),
  };
}

/** Neon's error body: the message, then every Postgres field, "" for code and severity and null for the rest when absent. */
function neonErrorBody(message: string, fields: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { message };
  for (const field of postgresErrorFields) {
    const value = fields[field];
    body[field] =
      value === undefined || value === null ? (field === 'code' || field === 'severity' ? '' : null) : String(value);
  }
  return body;
}

export function errorReply(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof RequestError) {
    return {
      status: error.status,
      body: error.neon ? neonErrorBody(error.message, error.neon) : { message: error.message },
    };
  }
  const candidate = error as Record<string, unknown> | null;
  // A SQLSTATE code marks an error Postgres itself raised: the client's fault, reported as Neon does.
  if (candidate && typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
    return { status: 400, body: neonErrorBody(String(candidate.message ?? 'database error'), candidate) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { message: `Local database failure: ${message}` } };
}
