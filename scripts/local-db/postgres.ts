// Backend: a real PostgreSQL server reached over TCP through a node-postgres pool.
import pg from 'pg';
import { rawTextTypes, throwIfAborted, type Backend } from './backend.ts';

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export async function openPostgres(connectionString: string): Promise<Backend> {
  const pool = new pg.Pool({ connectionString, types: rawTextTypes, max: 10 });
  // An idle client dropped by the server must not crash the endpoint; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    const probe = await pool.connect();
    probe.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to ${redact(connectionString)}: ${(error as Error).message}`);
  }
  // Cancelling takes a connection of its own: the pool's may all be busy with the statements to cancel.
  let cancelPool: pg.Pool | undefined;
  function cancel(processId: number): void {
    cancelPool ??= new pg.Pool({ connectionString, max: 1 }).on('error', () => undefined);
    cancelPool.query('SELECT pg_cancel_backend($1)', [processId]).catch(() => undefined);
  }

  let closed = false;
  return {
    description: redact(connectionString),
    async withConnection(work, signal) {
      if (closed) throw new Error('The local database is closed');
      const client = await pool.connect();
      let failure: Error | undefined;
      // processID is set by the server's BackendKeyData; @types/pg does not declare it.
      const processId = (client as unknown as { processID: number }).processID;
      const onAbort = () => cancel(processId);
      let started = false;
      try {
        throwIfAborted(signal);
        signal?.addEventListener('abort', onAbort, { once: true });
        started = true;
        return await work(client);
      } catch (error) {
        // A broken connection (not a plain SQL error) must leave the pool instead of serving the next request.
        const code = (error as { code?: unknown }).code;
        if (typeof code !== 'string') failure = error as Error;
        throw error;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        // A cancel may still be on its way: the connection must not serve anyone else and catch it.
        client.release(failure ?? (started && signal?.aborted ? new Error('request aborted') : undefined));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pool.end(), cancelPool?.end()]);
    },
  };
}
