// Attempt limits on the production server reached directly (no TRUST_PROXY): counted per socket address, which no
// header a client sends can choose, and per known device, so a stranger's failures never lock out the person's own.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startStandaloneServer, type StandaloneServer } from '@/test/support/over-http/standalone-server.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

const SIGN_UPS_PER_ADDRESS = 2;
const PASSWORD = 'a long enough password';

let server: StandaloneServer;

beforeAll(async () => {
  server = await startStandaloneServer({
    databaseUrl: inject('localDbUrl'),
    fetchEndpoint: inject('localDbEndpoint'),
    extra: { REGISTER_MAX_PER_ADDRESS: String(SIGN_UPS_PER_ADDRESS) },
  });
});

afterAll(() => server?.stop());

interface Answer {
  status: number;
  cookies: string[];
  body: Record<string, unknown>;
}

/** POSTs JSON from the given local address (any 127.x.y.z reaches the server over loopback). */
function post(
  path: string,
  json: unknown,
  { from = '127.0.0.1', headers = {} }: { from?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, server.origin),
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            cookies: res.headers['set-cookie'] ?? [],
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer to POST ${path} within 20 s`)));
    req.on('error', reject);
    req.end(JSON.stringify(json));
  });
}

const signUp = (from: string, headers: Record<string, string> = {}) =>
  post('/api/auth/register', { name: 'Counted', email: uniqueEmail('address'), password: PASSWORD }, { from, headers });

describe('sign-ups without TRUST_PROXY', () => {
  it("are counted per socket address: a client's X-Forwarded-For, X-Real-IP or a forged address stamp cannot choose it", async () => {
    const crowd = '127.0.0.2';
    for (let attempt = 0; attempt < SIGN_UPS_PER_ADDRESS; attempt++) {
      expect((await signUp(crowd, { 'x-forwarded-for': `198.51.100.${attempt + 1}` })).status).toBe(201);
    }
    const claims: Record<string, string>[] = [
      { 'x-forwarded-for': '198.51.100.200' },
      { 'x-real-ip': '198.51.100.201' },
      { 'x-edge-users-socket-address': '198.51.100.202 forged' },
    ];
    for (const claimed of claims) {
      const refused = await signUp(crowd, claimed);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'rate_limited' });
    }
    // Another address keeps its own count: one client's sign-ups do not close sign-up for everyone.
    expect((await signUp('127.0.0.3')).status).toBe(201);
  });
});

describe('sign-ins without TRUST_PROXY', () => {
  it("let the person's own device in after a stranger's 15 wrong passwords, while a stranger with the right password is still refused", async () => {
    const email = uniqueEmail('device');
    const from = '127.0.0.4';
    expect((await post('/api/auth/register', { name: 'Owner', email, password: PASSWORD }, { from })).status).toBe(201);
    const signedIn = await post('/api/auth/login', { email, password: PASSWORD }, { from });
    expect(signedIn.status).toBe(200);
    const deviceToken = signedIn.body.deviceToken as string;
    const cookie = signedIn.cookies.find((value) => value.startsWith('device='))!.split(';', 1)[0]!;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 15; attempt++) {
      statuses.push((await post('/api/auth/login', { email, password: 'a wrong guess' }, { from })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    expect((await post('/api/auth/login', { email, password: PASSWORD, deviceToken }, { from })).status).toBe(200);
    expect((await post('/api/auth/login', { email, password: PASSWORD }, { from, headers: { cookie } })).status).toBe(
      200,
    );
    expect((await post('/api/auth/login', { email, password: PASSWORD }, { from })).status).toBe(429);
  });
});
