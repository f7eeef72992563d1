// Unit specification of the wire-format helpers: request parsing, BEGIN options, JSON output, error replies.
import { describe, expect, it } from 'vitest';
import { textToJson } from '@/src/local-db/json-output.ts';
import {
  beginStatement,
  errorReply,
  parseSqlRequest,
  RequestError,
  tagFromConnectionString,
} from '@/src/local-db/protocol.ts';

const headers = {
  'neon-connection-string': 'postgresql://local:local@127.0.0.1:4444/t_abc?application_name=x',
  'neon-raw-text-output': 'true',
  'neon-array-mode': 'true',
};

describe('parseSqlRequest', () => {
  it('reads a single query with its params and the tag from the connection string', () => {
    const request = parseSqlRequest(
      headers,
      JSON.stringify({ query: 'select $1', params: ['a', null, 3, true, { b: 1 }] }),
    );
    expect(request).toEqual({
      tag: 't_abc',
      arrayMode: true,
      rawTextOutput: true,
      statements: [{ query: 'select $1', params: ['a', null, '3', 'true', '{"b":1}'] }],
    });
  });

  it('reads a batch with its transaction headers', () => {
    const request = parseSqlRequest(
      {
        ...headers,
        'neon-batch-isolation-level': 'RepeatableRead',
        'neon-batch-read-only': 'true',
        'neon-batch-deferrable': 'false',
      },
      JSON.stringify({ queries: [{ query: 'select 1', params: [] }, { query: 'select 2' }] }),
    );
    expect(request.statements).toHaveLength(2);
    expect(request.batch).toEqual({ isolationLevel: 'RepeatableRead', readOnly: true, deferrable: false });
  });

  it.each([
    ['not json', 'Request body is not valid JSON'],
    ['[1]', 'Request body must be a JSON object'],
    ['{}', 'missing "query"'],
    ['{"query": ""}', 'missing "query"'],
    ['{"query": "select 1", "params": 5}', '"params" must be an array'],
    ['{"queries": {}}', '"queries" must be an array'],
    ['{"queries": [{"params": []}]}', 'queries[0] is missing "query"'],
  ])('refuses %s with 400', (body, message) => {
    expect(() => parseSqlRequest(headers, body)).toThrow(message);
    try {
      parseSqlRequest(headers, body);
    } catch (error) {
      expect((error as RequestError).status).toBe(400);
    }
  });

  it('refuses an unknown isolation level and a non-boolean flag', () => {
    const batch = JSON.stringify({ queries: [] });
    expect(() => parseSqlRequest({ ...headers, 'neon-batch-isolation-level': 'Chaos' }, batch)).toThrow(
      'unknown value "Chaos"',
    );
    expect(() => parseSqlRequest({ ...headers, 'neon-array-mode': 'yes' }, batch)).toThrow('must be "true" or "false"');
  });
});

describe('tagFromConnectionString', () => {
  it('is the database name, or "local" when there is none', () => {
    expect(tagFromConnectionString('postgres://u:p@h:1/t_x')).toBe('t_x');
    expect(tagFromConnectionString('postgresql://u:p@h:1/')).toBe('local');
    expect(tagFromConnectionString(undefined)).toBe('local');
  });
});

describe('beginStatement', () => {
  it('spells the batch options in Postgres syntax', () => {
    expect(beginStatement({})).toBe('BEGIN');
    expect(beginStatement({ isolationLevel: 'Serializable', readOnly: true, deferrable: true })).toBe(
      'BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE',
    );
    expect(beginStatement({ isolationLevel: 'ReadUncommitted', readOnly: false, deferrable: false })).toBe(
      'BEGIN ISOLATION LEVEL READ UNCOMMITTED, READ WRITE, NOT DEFERRABLE',
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
  it('passes Postgres error fields through with 400 and hides nothing else', () => {
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
      body: { message: 'duplicate key', code: '23505', severity: 'ERROR', constraint: 'users_email_key' },
    });
  });

  it('reports a failure that is not Postgres’s as 500', () => {
    expect(errorReply(new Error('socket closed')).status).toBe(500);
  });
});
