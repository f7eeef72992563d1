// Talks to the running production server as curl would, and reads the local endpoint's counter.
import { inject } from 'vitest';

/** The server under test, which the project's global setup started. */
export const baseUrl = inject('baseUrl');
const localDbEndpoint = inject('localDbEndpoint');
const localDbUrl = inject('localDbUrl');

export function api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  return fetch(new URL(path, baseUrl), {
    ...rest,
    headers,
    body: json === undefined ? rest.body : JSON.stringify(json),
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
}

/** Database round trips the server's endpoint has served so far, every caller together (files run one at a time). */
export async function serverRoundTrips(): Promise<number> {
  const response = await fetch(new URL('/_stats', localDbEndpoint), {
    headers: { 'neon-connection-string': localDbUrl },
  });
  return ((await response.json()) as { queries: number }).queries;
}

/** Runs `action` and reports how many database round trips the server made meanwhile. */
export async function countServerRoundTrips<T>(action: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const before = await serverRoundTrips();
  const result = await action();
  return { result, roundTrips: (await serverRoundTrips()) - before };
}
