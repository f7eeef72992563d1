// Another host, listening: where a request would go if the app followed a host the client named.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Elsewhere {
  /** `127.0.0.1:<port>`, for a Host or X-Forwarded-Host header. */
  host: string;
  /** `METHOD /path` of every request that reached it. */
  received: string[];
  close(): Promise<void>;
}

export async function listenElsewhere(): Promise<Elsewhere> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
