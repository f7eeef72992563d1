// What every answer of the API must satisfy, whatever was sent: no 5xx, errors as RFC 9457 problems whose
// `status` is the HTTP status and whose `code` the OpenAPI document lists for that operation and status, no
// password hash, stack trace or file path in a body, and an answer in time.
import { PROBLEM_STATUS, problemType, type ProblemCode } from '@/src/http/problem.ts';
import { problemCodesOf, resolve } from '@/src/openapi/describe.ts';
import { openApiDocument } from '@/src/openapi/document.ts';
import type { JsonSchema, Method } from '@/src/openapi/types.ts';
import type { FigureSheet } from './figures.ts';
import { send, type RawRequest, type RawResponse } from './raw-http.ts';

/** Bodies must never carry these: a stored password hash, a stack frame, an error's own text, a file path. */
export const LEAK_PATTERNS: [RegExp, string][] = [
  [/pbkdf2-sha256\$/, 'a password hash'],
  [/\n\s+at |^\s{4}at /m, 'a stack frame'],
  [/\b(?:Type|Range|Syntax|Reference|URI)?Error: /, 'an error message'],
  [/(?:\/work\/|\/home\/|\/tmp\/|node_modules|\.next\/server|\.tsx?:\d+)/, 'a file path'],
  [/PrismaClient|prisma\.user\.|SQLSTATE|invalid byte sequence/i, 'a database error'],
];

export interface Violation {
  kind: 'server-error' | 'not-problem' | 'status-mismatch' | 'undocumented-code' | 'leak' | 'slow';
  message: string;
}

/** Refused by the gate before any route, whatever the path: not a route's to document. */
const GATE_CODES = new Set<ProblemCode>([
  'unsupported_method',
  'invalid_path',
  'origin_not_allowed',
  'request_timeout',
]);

const document = openApiDocument();
const documentedPaths = Object.keys(document.paths).map((path) => ({
  path,
  pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
}));

/** What is wrong with a problem's code for this request, if anything: unknown, of another status, or unlisted. */
function codeViolation(method: string, pathname: string, status: number, body: Record<string, unknown>) {
  const code = body.code as ProblemCode;
  if (typeof code !== 'string' || PROBLEM_STATUS[code] !== status) return `code ${String(code)} for HTTP ${status}`;
  if (body.type !== problemType(code)) return `type ${String(body.type)} for code ${code}`;
  if (GATE_CODES.has(code)) return undefined;
  const path = documentedPaths.find(({ pattern }) => pattern.test(pathname))?.path;
  const item = path ? document.paths[path]! : undefined;
  const operation = item?.[(method === 'HEAD' ? 'get' : method.toLowerCase()) as Method];
  // An undocumented method answers 405, which every operation of its path documents; an unknown path 404 or 401.
  if (!item || !operation) return undefined;
  const response = operation.responses[String(status)];
  const schema = response && resolve(document, response).content?.['application/problem+json']?.schema;
  const listed = problemCodesOf(schema as JsonSchema | undefined);
  return listed.includes(code) ? undefined : `code ${code} is not listed for ${method} ${path} ${status}`;
}

export function describeRequest(request: RawRequest): string {
  const body =
    request.body === undefined
      ? ''
      : ` body(${Buffer.byteLength(request.body)}B)=${JSON.stringify(String(request.body).slice(0, 200))}`;
  const headers = (request.headers ?? []).map(
    ([name, value]) => `${name}: ${value.length > 80 ? `${value.slice(0, 80)}…(${value.length})` : value}`,
  );
  return `${request.method} ${request.path.slice(0, 300)} [${headers.join(' | ')}]${body}`;
}

/**
 * The violations in one answer. `allow503` is for requests sent while a fault is injected, or where the database
 * may be slower than the timeout on a loaded machine.
 * A path that leaves /api once normalised (`/api/../x`) may get the site's HTML pages.
 */
export function violations(
  request: RawRequest,
  response: RawResponse,
  { timeBoundMs, allow503 = false }: { timeBoundMs: number; allow503?: boolean },
): Violation[] {
  const found: Violation[] = [];
  const { status } = response;
  const pathname = new URL(request.path, 'http://x').pathname;
  const api = pathname === '/api' || pathname.startsWith('/api/');
  if (status >= 500 && !(allow503 && status === 503)) found.push({ kind: 'server-error', message: `HTTP ${status}` });
  if (status >= 400 && api) {
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType !== 'application/problem+json') {
      found.push({ kind: 'not-problem', message: `HTTP ${status} with content-type ${JSON.stringify(contentType)}` });
    } else if (request.method !== 'HEAD') {
      let problem: Record<string, unknown> = {};
      let problemStatus: unknown;
      try {
        problem = JSON.parse(response.body) as Record<string, unknown>;
        problemStatus = problem.status;
      } catch {
        problemStatus = 'unparseable body';
      }
      if (problemStatus !== status)
        found.push({ kind: 'status-mismatch', message: `HTTP ${status}, problem status ${String(problemStatus)}` });
      const wrongCode = problemStatus === status && codeViolation(request.method, pathname, status, problem);
      if (wrongCode) found.push({ kind: 'undocumented-code', message: wrongCode });
    }
  }
  for (const [pattern, what] of LEAK_PATTERNS) {
    // The OpenAPI document describes the API in prose; its text is ours and fixed.
    if (pathname === '/api/openapi.json' && status === 200) break;
    const match = pattern.exec(response.body);
    if (match)
      found.push({
        kind: 'leak',
        message: `${what}: …${response.body.slice(Math.max(0, match.index - 40), match.index + 60)}…`,
      });
  }
  if (response.ms > timeBoundMs)
    found.push({ kind: 'slow', message: `${Math.round(response.ms)} ms > ${timeBoundMs} ms` });
  return found;
}

/** Checks one answer, counts it on the sheet, and returns a line per violation (empty when it is fine). */
export function tally(
  sheet: FigureSheet,
  request: RawRequest,
  response: RawResponse,
  options: { timeBoundMs: number; allow503?: boolean },
): string[] {
  sheet.add({ requests: 1 });
  if (response.status === 503 && options.allow503) sheet.add({ expected503: 1 });
  const found = violations(request, response, options);
  for (const { kind } of found) {
    if (kind === 'server-error') sheet.add({ unexpected5xx: 1 });
    else if (kind === 'slow') sheet.add({ slowOrHung: 1 });
    else if (kind === 'leak') sheet.add({ leaks: 1 });
    else sheet.add({ badErrors: 1 });
  }
  return found.map(({ message }) => `${describeRequest(request)} → ${message}`);
}

/** Sends, checks and counts; a request that gets no answer counts as hung and fails the test. */
export async function sendChecked(
  sheet: FigureSheet,
  request: RawRequest,
  options: { timeBoundMs: number; allow503?: boolean },
): Promise<RawResponse> {
  let response: RawResponse;
  try {
    response = await send(request);
  } catch (error) {
    sheet.add({ requests: 1, slowOrHung: 1 });
    throw new Error(`${describeRequest(request)} → no answer: ${(error as Error).message}`);
  }
  const problems = tally(sheet, request, response, options);
  if (problems.length) throw new Error(problems.join('\n'));
  return response;
}
