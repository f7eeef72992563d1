// Backend: a real PostgreSQL server reached over TCP through a node-postgres pool.
import pg from 'pg';
import { rawTextTypes, type Backend } from './session.ts';

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
  let closed = false;
  return {
    description: redact(connectionString),
    async withSession(work) {
      if (closed) throw new Error('The local database is closed');
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        return await work(client);
      } catch (error) {
        // A broken connection (not a plain SQL error) must leave the pool instead of serving the next request.
        const code = (error as { code?: unknown }).code;
        if (typeof code !== 'string') failure = error as Error;
        throw error;
      } finally {
        client.release(failure);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
