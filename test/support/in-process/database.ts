// Points this test file's app code at the shared local endpoint under a tag of its own, so the
// endpoint's per-tag counter gives exact database round trips even while other files run.
import { inject } from 'vitest';
import { withTag } from '@/scripts/local-db/credentials.ts';

const { endpoint, connectionString } = inject('localDb');
const tag = `t_${crypto.randomUUID().replaceAll('-', '')}`;

process.env.DATABASE_URL = withTag(connectionString, tag);
process.env.NEON_FETCH_ENDPOINT = endpoint;
process.env.JWT_SECRET ??= 'test-secret-that-is-at-least-32-bytes-long!';
// Tests may hash cheaply; production refuses fewer than OWASP's 600,000 iterations.
process.env.PASSWORD_ITERATIONS ??= '1000';
// Every file shares one database, and without a trusted proxy every sign-up one address: the limit gets its own tests.
process.env.REGISTER_MAX_PER_ADDRESS ??= '100000';

/** Database round trips made under this file's tag so far. */
export async function roundTrips(): Promise<number> {
  const response = await fetch(new URL(`/_stats?tag=${tag}`, endpoint), {
    headers: { 'neon-connection-string': connectionString },
  });
  const { queries } = (await response.json()) as { queries: number };
  return queries;
}

/** Runs `action` and reports how many database round trips it made. */
export async function countRoundTrips<T>(action: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const before = await roundTrips();
  const result = await action();
  return { result, roundTrips: (await roundTrips()) - before };
}
