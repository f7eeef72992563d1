// Generated hostile requests against every endpoint of the production build: whatever arrives, the answer
// is never a 5xx, every error is a problem+json whose `status` is the HTTP status, and nothing leaks.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FigureSheet } from '@/test/support/proof/figures.ts';
import { inParallel, send, sendJson, bearer, type RawRequest } from '@/test/support/proof/raw-http.ts';
import { LEAK_PATTERNS, describeRequest, tally } from '@/test/support/proof/invariants.ts';
import { tokenSet, type TokenSet } from '@/test/support/proof/tokens.ts';

const seed = inject('proofSeed');
const runs = inject('proofRuns');
const IN_FLIGHT = 12;
const BATCH = 16;
/** Sign-ups and sign-ins cost 130 ms of PBKDF2 each; with 12 in flight on 2 cores a few queue up. */
const TIME_BOUND_MS = 8_000;

const sheet = new FigureSheet('hostile-input');
let tokens: TokenSet;
const knownIds: number[] = [];

beforeAll(async () => {
  // A few rows the generated ids can hit; the user token belongs to the first.
  const admin = (await tokenSet(1)).admin;
  for (let i = 0; i < 5; i++) {
    const response = await sendJson(
      'POST',
      '/api/users',
      { name: `Fuzz ${i}`, email: `fuzz-${seed}-${i}@example.com` },
      [bearer(admin)],
    );
    expect(response.status).toBe(201);
    knownIds.push((JSON.parse(response.body) as { id: number }).id);
  }
  tokens = await tokenSet(knownIds[0]!);
});

afterAll(() => sheet.save());

/** Percent-encodes the UTF-8 bytes of any string (a lone surrogate becomes U+FFFD's bytes), so node:http sends it. */
const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Text the API may echo back (a stored name, an unknown field's key) must not look like a leak itself. */
const echoSafe = (text: string) => !LEAK_PATTERNS.some(([pattern]) => pattern.test(text));

const oddStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\u202eevil\u202c',
  'zero\u200bwidth\u200d',
  '🦄👩‍👩‍👧‍👦',
  'ﷺ مرحبا',
  'Ａｄａ',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${7*7}{{7*7}}',
  '__proto__',
  'a'.repeat(101),
  'a'.repeat(255),
  'é'.repeat(9000),
);

const hostileString = fc
  .oneof(
    { weight: 3, arbitrary: oddStrings },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 15_000, max: 17_500 }).map((size) => 'x'.repeat(size)) },
  )
  .filter(echoSafe);

/** For paths and queries: Node refuses a request line plus headers over 16 KiB (431) before the app sees it. */
const shortHostile = hostileString.filter((text) => text.length <= 200);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, 0.5, [], {}, ['admin'], { $ne: null }) },
  { weight: 1, arbitrary: fc.integer() },
);

/** Valid-looking emails are few: a valid sign-up or sign-in costs 130 ms of hashing on the server. */
const email = fc.oneof(
  { weight: 8, arbitrary: hostileValue },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'no-at-sign',
      '@example.com',
      'a@',
      'a@b',
      `${'a'.repeat(250)}@example.com`,
      'ADA@EXAMPLE.COM ',
      'a@exa mple.com',
    ),
  },
  { weight: 1, arbitrary: fc.uuid().map((id) => `fuzz-${id}@example.com`) },
);

const extraKey = fc.oneof(
  fc.constantFrom(
    'role',
    'id',
    'passwordHash',
    'password_hash',
    'isAdmin',
    'createdAt',
    '__proto__',
    'constructor',
    'email ',
    '',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }).filter(echoSafe),
);

const userFields = fc.record(
  { name: hostileValue, email, role: fc.oneof(fc.constantFrom('user', 'admin', 'root', 'ADMIN'), hostileValue) },
  { requiredKeys: [] },
);

const jsonBody = fc.oneof(
  userFields,
  fc.record(
    {
      name: hostileValue,
      email,
      password: fc.oneof(hostileValue, fc.constantFrom('short', 'p'.repeat(128), 'p'.repeat(129))),
    },
    { requiredKeys: [] },
  ),
  fc.record({ token: hostileValue, password: hostileValue }, { requiredKeys: [] }),
  fc.tuple(userFields, extraKey, hostileValue).map(([fields, key, value]) => ({ ...fields, [key]: value })),
  fc.constantFrom([], 'string', 42, null, [{ name: 'a' }]),
);

const body: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 8, arbitrary: jsonBody.map((value) => JSON.stringify(value)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      '{"name":',
      '{"a":1,}',
      "{'name':'x'}",
      'null',
      '',
      '\ufeff{}',
      '{"name":"\\ud800"}',
      '{"__proto__":{"role":"admin"}}',
      'NaN',
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 16_000, max: 20_000 })
      .map((size) => JSON.stringify({ name: 'n'.repeat(size), email: 'a@example.com' })),
  },
);

const contentType = fc.constantFrom<[string, string][]>(
  [['content-type', 'application/json']],
  [['content-type', 'application/json']],
  [['content-type', 'application/json; charset=utf-8']],
  [['content-type', 'application/merge-patch+json']],
  [['content-type', 'APPLICATION/JSON']],
  [['content-type', 'text/plain']],
  [['content-type', 'application/x-www-form-urlencoded']],
  [['content-type', 'multipart/form-data; boundary=x']],
  [
    ['content-type', 'application/json'],
    ['content-type', 'text/plain'],
  ],
  [],
);

const oddId = fc.oneof(
  fc.integer({ min: 1, max: 50 }).map(String),
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    '+1',
    '%201',
    '01',
    '2147483647',
    '2147483648',
    '99999999999999999999',
    'NaN',
    'null',
    'me',
  ),
  fc.constantFrom(
    '%D9%A3',
    '%EF%BC%91',
    '..%2F..%2Fetc%2Fpasswd',
    '%2E%2E',
    '..',
    '1%00',
    '1;DROP%20TABLE%20users',
    '%',
    '%E0%A4%A',
    '%ZZ',
    '1/extra',
  ),
  shortHostile.map(encode),
);

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?limit=0',
    '?limit=100',
    '?limit=101',
    '?limit=-1',
    '?limit=1e2',
    '?limit=abc',
    '?limit=1&limit=500',
    '?cursor=0',
    '?cursor=-5',
    '?cursor=1.5',
    '?cursor=2147483648',
    '?limit=5&cursor=3',
    '?cursor=1&cursor=2',
    '?limit=',
    '?limit[]=1',
    '?x=%',
  ),
  fc.tuple(fc.constantFrom('limit', 'cursor', 'x'), shortHostile).map(([key, value]) => `?${key}=${encode(value)}`),
);

// Dot segments that stay under /api: one that leaves it (/api/%2e%2e/users → /users) reaches the pages,
// where Next.js answers a malformed multipart POST with a 500 of its own (a page matter, not the API's).
const unknownPath = fc.oneof(
  fc.constantFrom(
    '/api',
    '/api/',
    '/api/nope',
    '/api/users/1/extra',
    '/api//users',
    '/api/auth',
    '/api/auth/me/',
    '/api/USERS',
    '/api/hello.json',
    '/api/users/%2e%2e/hello',
    '/api/users/../hello',
  ),
  shortHostile.map((segment) => `/api/${encode(segment)}`),
);

const path = fc.oneof(
  fc.constantFrom(
    '/api/hello',
    '/api/health',
    '/api/openapi.json',
    '/api/auth/login',
    '/api/auth/register',
    '/api/auth/logout',
    '/api/auth/me',
    '/api/auth/invitation',
  ),
  fc.tuple(fc.constant('/api/users'), query).map(([base, q]) => base + q),
  oddId.map((id) => `/api/users/${id}`),
  oddId.map((id) => `/api/users/${id}/invitation`),
  unknownPath,
);

const method = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD') },
  { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'SEARCH', 'QUERY', 'MKCOL', 'PURGE', 'REPORT', 'LOCK', 'COPY') },
);

type Credential = [string, string][];

const credentials = (): fc.Arbitrary<Credential> => {
  // Mostly tokens the server accepts, so requests get past the gate to the handlers.
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constant(tokens.admin) },
    { weight: 3, arbitrary: fc.constant(tokens.user) },
    { weight: 4, arbitrary: fc.constantFrom(...(Object.values(tokens) as string[])) },
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Credential>([]) },
    { weight: 6, arbitrary: token.map((value) => [bearer(value)]) },
    { weight: 1, arbitrary: token.map((value): Credential => [['cookie', `token=${value}`]]) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Credential>(
        [bearer(tokens.admin), bearer(tokens.user)],
        [bearer(tokens.user), bearer(tokens.admin)],
        [['authorization', 'Basic YWRtaW46YWRtaW4=']],
        [['authorization', 'Bearer']],
        [['authorization', 'Bearer a.b.c']],
        [['authorization', `Bearer ${tokens.admin} extra`]],
        [['authorization', 'bearer    ' + tokens.user]],
        [['authorization', `Bearer ${'A'.repeat(5000)}`]],
        [['cookie', 'token=; token=%%%; =;;;']],
        [['cookie', `token=${tokens.admin}; token=${tokens.user}`]],
        [['cookie', `__Host-token=${tokens.admin}`]],
        [['cookie', `token="${tokens.user}"`]],
        [
          ['cookie', `token=${tokens.admin}`],
          ['origin', 'https://evil.example'],
          ['sec-fetch-site', 'cross-site'],
        ],
        [
          ['x-user-id', '1'],
          ['x-user-role', 'admin'],
        ],
      ),
    },
  );
};

const extraHeaders = fc.oneof(
  { weight: 8, arbitrary: fc.constant<[string, string][]>([]) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<[string, string][]>(
      [['x-filler', 'f'.repeat(6_000)]],
      [
        ['origin', 'https://evil.example'],
        ['access-control-request-method', 'POST'],
      ],
      [
        ['origin', 'https://app.example.com'],
        ['access-control-request-method', 'DELETE'],
      ],
      [
        ['x-forwarded-host', 'evil.example'],
        ['x-forwarded-proto', 'javascript'],
      ],
      [['x-middleware-subrequest', 'middleware:middleware:middleware:middleware:middleware']],
      [['accept', 'text/html']],
      [['if-none-match', '*']],
      [['content-length', '0']],
      [['transfer-encoding', 'chunked']],
      [['accept-encoding', 'gzip, br']],
    ),
  },
);

describe('hostile input, generated', () => {
  it(
    `answers ${runs} generated requests without a 5xx, a non-problem error or a leak`,
    async () => {
      const request: fc.Arbitrary<RawRequest> = fc
        .record({ method, path, credential: credentials(), contentType, extra: extraHeaders, body })
        .map(({ method: verb, path: target, credential, contentType: type, extra, body: payload }) => {
          const chunked = extra.some(([name]) => name === 'transfer-encoding');
          const withBody = payload !== undefined && verb !== 'GET' && verb !== 'HEAD' && !chunked;
          const headers = [
            ...credential,
            ...(withBody ? type : []),
            ...extra.filter(([name]) => !(name === 'content-length' && withBody)),
          ];
          return {
            method: verb,
            path: target,
            headers,
            body: withBody ? payload : undefined,
            timeoutMs: TIME_BOUND_MS * 2,
          };
        });
      let slowest = 0;
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const problems = await inParallel(batch, IN_FLIGHT, async (sent) => {
            let response;
            try {
              response = await send(sent);
            } catch (error) {
              sheet.add({ requests: 1, slowOrHung: 1 });
              return `${describeRequest(sent)} → no answer: ${(error as Error).message}`;
            }
            slowest = Math.max(slowest, response.ms);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            return tally(sheet, sent, response, { timeBoundMs: TIME_BOUND_MS }).join('\n') || undefined;
          });
          const failed = problems.filter(Boolean);
          if (failed.length) throw new Error(failed.join('\n'));
        }),
        { seed, numRuns: Math.ceil(runs / BATCH), endOnFailure: true },
      );
      const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}:${count}`);
      sheet.note(`statuses ${byStatus.join(' ')}; slowest ${Math.round(slowest)} ms`);
    },
    Math.max(120_000, runs * 30),
  );
});
