// The contract both database backends fulfil: hand out one node-postgres connection at a time per caller.
import type { ClientBase, CustomTypesConfig } from 'pg';

export interface Backend {
  /** "PGlite (memory)", "PGlite (.data/pglite)", "PostgreSQL 127.0.0.1:5432/app" — for the ready line. */
  readonly description: string;
  /**
   * Runs `work` with a connection nobody else uses until it settles (a batch must never interleave). Once
   * `signal` aborts, work that has not started never starts, and the running statement is cancelled where
   * the backend can do so.
   */
  withConnection<T>(work: (client: ClientBase) => Promise<T>, signal?: AbortSignal): Promise<T>;
  close(): Promise<void>;
}

/** Values pass through as the Postgres text node-postgres received; the Neon driver parses them by OID. */
export const rawTextTypes: CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as unknown as CustomTypesConfig['getTypeParser'],
};

/** The client went away: whatever its request had not committed is rolled back or never run. */
export class RequestAborted extends Error {
  constructor() {
    super('The client closed the request');
    this.name = 'RequestAborted';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RequestAborted();
}
