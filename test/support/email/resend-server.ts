// The Resend stand-in (resend-stand-in.ts) on a free local port, for a server started with RESEND_BASE_URL.
import { createServer, type Server } from 'node:http';
import { resendStandIn, STAND_IN_API_KEY, type ResendStandIn } from './resend-stand-in.ts';

export interface ListeningStandIn extends ResendStandIn {
  /** Its base URL, for RESEND_BASE_URL. */
  url: string;
  stop(): Promise<void>;
}

/** The stand-in on a free local port. */
export async function listenResendStandIn(apiKey = STAND_IN_API_KEY): Promise<ListeningStandIn> {
  const standIn = resendStandIn(apiKey);
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const response = await standIn.handle(
      new Request(`http://stand-in${req.url}`, {
        method: req.method,
        headers,
        ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    ...standIn,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
