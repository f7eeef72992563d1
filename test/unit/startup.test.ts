// @vitest-environment node
// The Node.js server's own guards (src/startup.ts): a request whose body never arrives whole is answered 408 and its
// connection closed, rather than held until the client gives up; each request carries its socket's address under a
// MAC the app checks, never one a client sent. Node code, so it runs in Node, not the edge runtime.
import { connect } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import '@/test/support/in-process/database.ts';
import { clientAddress, SOCKET_ADDRESS_HEADER } from '@/src/http/client-address.ts';
import { boundBodyWait, stampSocketAddress } from '@/src/startup.ts';

const BOUND_MS = 200;
let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server?.closeAllConnections();
  server = undefined;
});

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });

/** A server that, like Next.js, reads the whole body before answering (here after `delayMs` more). */
async function bodyReadingServer(delayMs = 0): Promise<number> {
  server = createServer((req, res) => {
    boundBodyWait(req, res, BOUND_MS);
    readBody(req)
      .then(async (body) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`read ${body.length} bytes`);
      })
      .catch(() => undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Writes `head` and `body` on a raw socket and returns everything the server sends until it closes (or 10 s). */
function rawExchange(port: number, head: string, body: string): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const deadline = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, 10_000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve({ text, closed: true });
    });
    socket.on('error', reject);
    socket.write(head + body);
  });
}

const head = (length: number) =>
  `POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('the wait for a request body on the Node.js server', () => {
  it('answers 408 with a problem and closes the connection when Content-Length promises more than arrives', async () => {
    const port = await bodyReadingServer();
    const { text, closed } = await rawExchange(port, head(1_000_000_000), '{"email":"a@b.c",');
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(text).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    const problem = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(problem).toMatchObject({
      status: 408,
      code: 'request_timeout',
      detail: 'The request body did not arrive within 0.2 seconds.',
    });
  });

  it('leaves a request whose body arrived whole alone, however long the answer then takes', async () => {
    const port = await bodyReadingServer(BOUND_MS * 3);
    const body = '{"email":"a@b.c"}';
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`read ${body.length} bytes`);
  });

  it('does not time a request without a body', async () => {
    const port = await bodyReadingServer(BOUND_MS * 3);
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
  });
});

describe('the socket address stamp on the Node.js server', () => {
  /** A server that stamps each request, then answers with the address the app reads from it as a Web Request. */
  async function stampingServer(): Promise<number> {
    server = createServer((req, res) => {
      stampSocketAddress(req);
      const headers = new Headers(req.headers as Record<string, string>);
      clientAddress(new Request('http://localhost/', { headers }))
        .then((address) => res.writeHead(200).end(JSON.stringify({ address: address ?? null })))
        .catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it("gives the app the socket's address, whatever a client sends as X-Forwarded-For or as the stamp itself", async () => {
    const port = await stampingServer();
    const forged = { 'x-forwarded-for': '203.0.113.7', [SOCKET_ADDRESS_HEADER]: '203.0.113.7 forged-mac' };
    for (const headers of [{}, forged]) {
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
      expect(await response.json()).toEqual({ address: '127.0.0.1' });
    }
  });
});
