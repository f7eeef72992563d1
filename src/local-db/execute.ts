// Runs a parsed /sql request on one database session, the way Neon's proxy does: extended protocol, text values.
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
    command: result.command,
    rowCount: result.rowCount,
    fields: (result.fields ?? []).map(describeField),
    rows: result.rows,
  };
}

export function shapeReply(result: RawResult, request: Pick<SqlRequest, 'arrayMode' | 'rawTextOutput'>): QueryReply {
  const { fields } = result;
  const convert = (row: (string | null)[]) =>
    request.rawTextOutput ? row : row.map((value, index) => textToJson(value, fields[index]?.dataTypeID ?? 0));
  const rows = result.rows.map((row) => {
    const values = convert(row);
    return request.arrayMode ? values : Object.fromEntries(fields.map((field, index) => [field.name, values[index]]));
  });
  return { fields, command: result.command, rowCount: result.rowCount, rows, rowAsArray: request.arrayMode };
}

async function rollbackQuietly(client: ClientBase): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The session is already unusable; the backend replaces it when it reports the error.
  }
}

/**
 * A single statement runs in autocommit. A batch runs in one transaction that commits only if every
 * statement succeeds. Neither may leave the session inside a transaction: the next request (maybe
 * another client's) must start clean, as it would on a fresh Neon connection.
 */
export async function executeRequest(
  client: ClientBase,
  request: SqlRequest,
): Promise<QueryReply | { results: QueryReply[] }> {
  if (!request.batch) {
    try {
      const [statement] = request.statements;
      return shapeReply(await runStatement(client, statement!), request);
    } finally {
      if (client.getTransactionStatus() !== 'I') await rollbackQuietly(client);
    }
  }
  await client.query(beginStatement(request.batch));
  const results: QueryReply[] = [];
  try {
    for (const statement of request.statements)
      results.push(shapeReply(await runStatement(client, statement), request));
    await client.query('COMMIT');
  } catch (error) {
    await rollbackQuietly(client);
    throw error;
  }
  // A statement inside the batch may itself have ended the transaction early; the reply still stands.
  if (client.getTransactionStatus() !== 'I') await rollbackQuietly(client);
  return { results };
}
