// Unit specification of the wire-format helpers: request parsing, BEGIN options, JSON output, error replies.
import { describe, expect, it } from 'vitest';
import { textToJson } from '@/scripts/local-db/json-output.ts';
import {
  beginStatement,
  errorReply,
  parseConnectionString,
  parseSqlRequest,
  type RequestError,
  tagFromConnectionString,
} from '@/scripts/local-db/protocol.ts';

const headers = {
  'neon-connection-string': 'postgresql://local:pw@127.0.0.1:4444/local?application_name=t_abc',
  'neon-raw-text-output': 'true',
  'neon-array-mode': 'true',
};

/** The message a refusal carries, and its status. */
function refusal(action: () => unknown): { status: number; message: string } {
  try {
    action();
  } catch (error) {
    return { status: (error as RequestError).status, message: (error as Error).message };
  }
  throw new Error('not refused');
}

describe('parseSqlRequest', () => {
  it('reads a single query with its params, the credentials and the tag (application_name)', () => {
    const request = parseSqlRequest(
      headers,
      JSON.stringify({ query: 'select $1', params: ['a', null, 3, true, { b: 1 }, [1, null, 'x"y', [2]]] }),
    );
    expect(request).toEqual({
      connection: { user: 'local', password: 'pw', database: 'local', tag: 't_abc' },
      rawTextOutput: true,
      statements: [
        // As Neon's json_to_pg_text: arrays become Postgres array literals with JSON-escaped strings.
        { query: 'select $1', params: ['a', null, '3', 'true', '{"b":1}', '{1,NULL,"x\\"y",{2}}'], arrayMode: true },
      ],
    });
  });

  it('reads a batch with its transaction headers, and a per-query arrayMode over the header', () => {
    const request = parseSqlRequest(
      {
        ...headers,
        'neon-batch-isolation-level': 'RepeatableRead',
        'neon-batch-read-only': 'true',
        'neon-batch-deferrable': 'false',
      },
      JSON.stringify({
        queries: [
          { query: 'select 1', params: [] },
          { query: 'select 2', arrayMode: false },
        ],
      }),
    );
    expect(request.statements.map((statement) => statement.arrayMode)).toEqual([true, false]);
    expect(request.batch).toEqual({ isolationLevel: 'RepeatableRead', readOnly: true, deferrable: false });
  });

  it('takes only "true" as true in its flag headers, as Neon does (anything else is false, not an error)', () => {
    const request = parseSqlRequest(
      { ...headers, 'neon-array-mode': 'yes', 'neon-raw-text-output': 'TRUE', 'neon-batch-read-only': '1' },
      JSON.stringify({ queries: [] }),
    );
    expect(request.rawTextOutput).toBe(false);
    expect(request.batch).toEqual({ isolationLevel: undefined, readOnly: false, deferrable: false });
  });

  it.each([
    ['not json', 'could not parse the HTTP request body: '],
    ['[1]', 'could not parse the HTTP request body: expected a JSON object'],
    ['{}', 'could not parse the HTTP request body: the body is missing "query"'],
    [
      '{"query": "select 1", "params": 5}',
      'could not parse the HTTP request body: the body: "params" must be an array',
    ],
    ['{"queries": {}}', 'could not parse the HTTP request body: "queries" must be an array'],
    ['{"queries": [{"params": []}]}', 'could not parse the HTTP request body: queries[0] is missing "query"'],
  ])('refuses the body %s with 400, in the words of Neon’s ReadPayloadError', (body, message) => {
    const refused = refusal(() => parseSqlRequest(headers, body));
    expect(refused.status).toBe(400);
    expect(refused.message.startsWith(message)).toBe(true);
  });

  // proxy/src/serverless/sql_over_http.rs, map_header_to_isolation_level: b"Serializable" | b"ReadUncommitted"
  // | b"ReadCommitted" | b"RepeatableRead", else SqlOverHttpError::InvalidIsolationLevel, "invalid isolation level".
  it.each(['serializable', 'SERIALIZABLE', 'read committed', 'Repeatable-Read', 'Chaos', ''])(
    'refuses the isolation level "%s" as Neon does, even on a single query',
    (level) => {
      const single = JSON.stringify({ query: 'select 1' });
      expect(refusal(() => parseSqlRequest({ ...headers, 'neon-batch-isolation-level': level }, single))).toEqual({
        status: 400,
        message: 'invalid isolation level',
      });
    },
  );

  it.each(['Serializable', 'ReadUncommitted', 'ReadCommitted', 'RepeatableRead'])('accepts %s', (level) => {
    const batch = JSON.stringify({ queries: [] });
    expect(parseSqlRequest({ ...headers, 'neon-batch-isolation-level': level }, batch).batch?.isolationLevel).toBe(
      level,
    );
  });
});

// proxy/src/serverless/http_util.rs get_conn_info and error.rs ConnInfoError, in that order.
describe('parseConnectionString (Neon’s get_conn_info)', () => {
  it.each([
    [undefined, 'invalid header: neon-connection-string'],
    ['postgresql://local:pé@h/local', 'invalid header: neon-connection-string'],
    ['//local:pw@h/local', 'invalid connection string: relative URL without a base'],
    ['local:pw@h/local', 'incorrect scheme'],
    ['http://local:pw@h/local', 'incorrect scheme'],
    ['postgresql://:pw@h/local', 'missing username'],
    ['postgresql://local@h/local', 'missing authentication credentials: required password'],
    ['postgresql://local:@h/local', 'missing authentication credentials: required password'],
  ])('refuses %s with 400 "%s"', (value, message) => {
    expect(refusal(() => parseConnectionString(value))).toEqual({ status: 400, message });
  });

  it('decodes user, password and database, and tags by application_name, else by database', () => {
    expect(parseConnectionString('postgres://a%40b:p%2Fw@h:1/db%201?application_name=t_x')).toEqual({
      user: 'a@b',
      password: 'p/w',
      database: 'db 1',
      tag: 't_x',
    });
    expect(tagFromConnectionString('postgresql://u:p@h:1/local')).toBe('local');
    // Postgres connects an empty database name to the user's own.
    expect(parseConnectionString('postgresql://u:p@h:1/').database).toBe('u');
  });
});

describe('beginStatement', () => {
  it('spells the batch options in Postgres syntax, as Neon’s transaction builder', () => {
    expect(beginStatement({ readOnly: false, deferrable: false })).toBe('BEGIN');
    expect(beginStatement({ isolationLevel: 'Serializable', readOnly: true, deferrable: true })).toBe(
      'BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE',
    );
    expect(beginStatement({ isolationLevel: 'ReadUncommitted', readOnly: false, deferrable: false })).toBe(
      'BEGIN ISOLATION LEVEL READ UNCOMMITTED',
    );
  });
});

describe('textToJson (Neon-Raw-Text-Output off)', () => {
  it('turns booleans, numbers, json and arrays into JSON values and leaves the rest as text', () => {
    expect(textToJson('t', 16)).toBe(true);
    expect(textToJson('42', 23)).toBe(42);
    expect(textToJson('NaN', 701)).toBe('NaN');
    expect(textToJson('{"a": [1]}', 3802)).toEqual({ a: [1] });
    expect(textToJson('{{1,NULL},{3,4}}', 1007)).toEqual([
      [1, null],
      [3, 4],
    ]);
    expect(textToJson('{"a\\"b","c,d",NULL,plain}', 1009)).toEqual(['a"b', 'c,d', null, 'plain']);
    expect(textToJson('2024-01-01', 1082)).toBe('2024-01-01');
    expect(textToJson(null, 23)).toBeNull();
  });
});

describe('errorReply', () => {
  it('passes Postgres error fields through with 400 in Neon’s shape: every field, null when absent', () => {
    const reply = errorReply(
      Object.assign(new Error('duplicate key'), {
        code: '23505',
        severity: 'ERROR',
        constraint: 'users_email_key',
        length: 9,
      }),
    );
    expect(reply).toEqual({
      status: 400,
      body: {
        message: 'duplicate key',
        code: '23505',
        detail: null,
        hint: null,
        position: null,
        internalPosition: null,
        internalQuery: null,
        severity: 'ERROR',
        where: null,
        table: null,
        column: null,
        schema: null,
        dataType: null,
        constraint: 'users_email_key',
        file: null,
        line: null,
        routine: null,
      },
    });
  });

  it('reports a failure that is not Postgres’s as 500', () => {
    expect(errorReply(new Error('socket closed')).status).toBe(500);
  });
});
