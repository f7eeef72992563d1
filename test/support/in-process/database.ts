// Points this test file's app code at the shared local endpoint under a tag of its own, so the
// endpoint's per-tag counter gives exact database round trips even while other files run.
import { inject } from 'vitest';
import { pointAtDatabase } from './use-database.ts';

const { endpoint, connectionString } = inject('localDb');
const { tag } = pointAtDatabase({ endpoint, connectionString });

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
