// The one error mapper: every failure becomes a problem with a code; a 5xx is logged once, with its cause chain,
// under the request id its response carries.
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';
import { errorResponse, requestId, serviceUnavailable, toProblem } from '@/src/http/errors.ts';
import { Problem } from '@/src/http/problem.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { request } from '@/test/support/requests.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('errorResponse', () => {
  it('answers a bug with a generic 500, logs it once with its cause chain, under the id the response carries', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const root = new Error('socket closed by peer');
    const bug = new Error('could not read the row', { cause: root });
    const response = errorResponse(bug, request('POST', '/api/users'));
    const problem = await expectProblem(response, 500);
    expect(problem.code).toBe('internal_error');
    expect(problem.detail).toBe('An unexpected error occurred.');
    expect(JSON.stringify(problem)).not.toContain('socket');

    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(UUID);
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]![0]);
    expect(line).toContain(`[${id}] POST /api/users: 500 internal_error`);
    expect(line).toContain('caused by: Error: could not read the row');
    expect(line).toContain('caused by: Error: socket closed by peer');
  });

  it('logs a 503 with what caused it', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const outage = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:5432') });
    const response = errorResponse(serviceUnavailable(outage), request('GET', '/api/health'));
    expect(response.status).toBe(503);
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toMatch(/503 database_unavailable[\s\S]*ECONNREFUSED/);
  });

  it('does not log a client error, and still names the request', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = errorResponse(new Problem('email_taken', { detail: 'Taken.' }), request('POST', '/api/users'));
    expect((await expectProblem(response, 409)).code).toBe('email_taken');
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    expect(log).not.toHaveBeenCalled();
  });

  it('keeps a problem thrown with a cause as it was thrown, the cause unsent', async () => {
    const cause = new Error('internal detail');
    const thrown = new Problem('busy', { detail: 'Busy.', cause });
    expect(toProblem(thrown)).toBe(thrown);
    expect(thrown.cause).toBe(cause);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const body = await errorResponse(thrown, request('GET', '/')).text();
    expect(body).not.toContain('internal detail');
  });
});

describe('requestId', () => {
  it("is the platform's id when it sends one (Vercel's x-vercel-id)", () => {
    const id = 'fra1::iad1::abcde-1764130000000-0123456789ab';
    expect(requestId(request('GET', '/', { headers: { 'x-vercel-id': id } }))).toBe(id);
  });

  it('is a new UUID otherwise, or when the header is not of the platform shape (no log injection)', () => {
    expect(requestId(request('GET', '/'))).toMatch(UUID);
    const forged = request('GET', '/', { headers: { 'x-vercel-id': 'ok <script>alert(1)</script>' } });
    expect(requestId(forged)).toMatch(UUID);
  });
});
