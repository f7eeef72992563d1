// Runs a parsed /sql request on one database connection, the way Neon's proxy does: extended protocol, text values.
import type { ClientBase, FieldDef, QueryArrayConfig } from 'pg';
import { textToJson } from './json-output.ts';
import {
  beginStatement,
  type FieldDescription,
  type QueryReply,
  type RawResult,
  type SqlRequest,
  type SqlStatement,
} from './protocol.ts';
import { throwIfAborted } from './backend.ts';

function describeField(field: FieldDef): FieldDescription {
  return {
    name: field.name,
    dataTypeID: field.dataTypeID,
    tableID: field.tableID,
    columnID: field.columnID,
    dataTypeSize: field.dataTypeSize,
    dataTypeModifier: field.dataTypeModifier,
    // PGlite's parser reports the format code (0/1), node-postgres's the name; Neon always says the name.
    format: (field.format as unknown) === 1 || field.format === 'binary' ? 'binary' : 'text',
  };
}

/** Extended protocol even without parameters, so a multi-statement string fails as it does on Neon. */
export async function runStatement(client: ClientBase, statement: SqlStatement): Promise<RawResult> {
  // queryMode is honoured by pg >= 8.12 but missing from @types/pg.
  const config: QueryArrayConfig & { queryMode: 'extended' } = {
    text: statement.query,
    values: statement.params,
    rowMode: 'array',
    queryMode: 'extended',
  };
  const result = await client.query<(string | null)[]>(config);
  return {
    // An empty query has no command tag; Neon sends "" (unwrap_or_default).
    command: result.command ?? '',
    rowCount: result.rowCount,
    fields: (result.fields ?? []).map(describeField),
    rows: result.rows,
  };
}

export function shapeReply(result: RawResult, arrayMode: boolean, rawTextOutput: boolean): QueryReply {
  const { fields } = result;
  const convert = (row: (string | null)[]) =>
    rawTextOutput ? row : row.map((value, index) => textToJson(value, fields[index]?.dataTypeID ?? 0));
  const rows = result.rows.map((row) => {
    const values = convert(row);
    return arrayMode ? values : Object.fromEntries(fields.map((field, index) => [field.name, values[index]]));
  });
  return { fields, command: result.command, rowCount: result.rowCount, rows, rowAsArray: arrayMode };
}

/**
 * Lets the event loop take in a socket that closed while PGlite held it (a statement runs synchronously
 * in WASM): two turns, so that an I/O poll happens between them and the abort is seen before COMMIT.
 */
const pendingIo = async () => {
  for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

async function rollbackQuietly(client: ClientBase): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is already unusable; the backend replaces it when it reports the error.
  }
}

/**
 * A single statement runs in autocommit. A batch runs in one transaction that commits only if every
 * statement succeeds and its client is still waiting for the answer. Neither may leave the connection
 * inside a transaction: the next request (maybe another client's) must start clean, as it would on a
 * fresh Neon connection.
 */
export async function executeRequest(
  client: ClientBase,
  request: Pick<SqlRequest, 'statements' | 'batch' | 'rawTextOutput'>,
  signal?: AbortSignal,
): Promise<QueryReply | { results: QueryReply[] }> {
  const reply = async (statement: SqlStatement) =>
    shapeReply(await runStatement(client, statement), statement.arrayMode, request.rawTextOutput);
  if (!request.batch) {
    try {
      return await reply(request.statements[0]!);
    } finally {
      if (client.getTransactionStatus() !== 'I') await rollbackQuietly(client);
    }
  }
  await client.query(beginStatement(request.batch));
  const results: QueryReply[] = [];
  try {
    for (const statement of request.statements) {
      throwIfAborted(signal);
      results.push(await reply(statement));
    }
    // A batch whose client has gone is rolled back, never committed: its caller already reported a failure.
    if (signal) await pendingIo();
    throwIfAborted(signal);
    await client.query('COMMIT');
  } catch (error) {
    await rollbackQuietly(client);
    throw error;
  }
  // A statement inside the batch may itself have ended the transaction early; the reply still stands.
  if (client.getTransactionStatus() !== 'I') await rollbackQuietly(client);
  return { results };
}
