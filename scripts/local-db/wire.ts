// The embedded database over PostgreSQL's wire protocol (DATABASE_URL_UNPOOLED, for `npm run migrate` and other
// tools that need a direct connection), beside the HTTP endpoint, both on one PGlite.
//
// PGlite is one Postgres session. @electric-sql/pglite-socket serves many connections from it, keeping a
// transaction's statements together, but session state is shared: one client's pg_advisory_lock is every
// client's, so two `npm run migrate` runs would both hold Prisma's lock. So the public port admits one connection
// at a time (the next waits, unanswered, until it closes), and a connection that closes releases its advisory
// locks, as a session's end does. The endpoint's own connections reach PGlite on an internal port, ungated.
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface WireServer {
  /** For the endpoint's own pool: ungated. */
  internalUrl: string;
  /** The direct connection people and tools get: one session at a time. */
  publicUrl: string;
  close(): Promise<void>;
}

const url = (port: number) => `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function serveWire(db: PGlite, publicPort = 0): Promise<WireServer> {
  const internal = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 });
  await internal.start();
  const internalPort = Number(internal.getServerConn().split(':').pop());

  const waiting: Socket[] = [];
  const open = new Set<Socket>();
  let active = false;
  const admitNext = () => {
    if (active) return;
    const client = waiting.shift();
    if (!client) return;
    if (client.destroyed) return admitNext();
    active = true;
    const upstream = createConnection(internalPort, '127.0.0.1');
    open.add(upstream);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      client.destroy();
      upstream.destroy();
      open.delete(upstream);
      // The session this client had ends here: its advisory locks with it (a transaction is rolled back by pglite-socket).
      db.query('SELECT pg_advisory_unlock_all()')
        .catch(() => undefined)
        .finally(() => {
          active = false;
          admitNext();
        });
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
    client.pipe(upstream).pipe(client);
  };
  const gate = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => undefined);
    waiting.push(client);
    admitNext();
  });
  let port: number;
  try {
    port = await listen(gate, publicPort);
  } catch (error) {
    await internal.stop();
    throw error;
  }
  return {
    internalUrl: url(internalPort),
    publicUrl: url(port),
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => gate.close(resolve));
      await internal.stop();
    },
  };
}
