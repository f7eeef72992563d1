// One public origin, on the production server: started with PUBLIC_ORIGIN=https://… and reached as a TLS-terminating
// proxy forwards a browser (plain HTTP, `X-Forwarded-Proto: https`, no TRUST_PROXY), it signs in, runs Server Actions
// and signs out with the HTTPS cookies; and no Host, X-Forwarded-Host or Forwarded a client sends steers its links,
// cookie names, same-origin checks or the middleware's renewal call.
import { request as httpRequest } from 'node:http';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startStandaloneServer, type StandaloneServer } from '@/test/support/over-http/standalone-server.ts';
import { sharedAdmin } from '@/test/support/over-http/server-admin.ts';
import { expiredAccessToken } from '@/test/support/over-http/server-settings.ts';
import { listenElsewhere } from '@/test/support/over-http/elsewhere.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

const PUBLIC_ORIGIN = 'https://api.example.test';
const PUBLIC_HOST = new URL(PUBLIC_ORIGIN).host;
/** How a TLS-terminating proxy in front forwards a browser's request to the app. */
const VIA_PROXY = { host: PUBLIC_HOST, 'x-forwarded-proto': 'https' };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  cookies: string[];
  body: string;
}

let server: StandaloneServer;

beforeAll(async () => {
  server = await startStandaloneServer({
    databaseUrl: inject('localDbUrl'),
    fetchEndpoint: inject('localDbEndpoint'),
    extra: { PUBLIC_ORIGIN },
  });
});

afterAll(() => server?.stop());

/** A raw HTTP request to the server, with whatever Host and headers a client or proxy sends (fetch would set Host). */
function send(
  path: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.origin), { method, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          cookies: res.headers['set-cookie'] ?? [],
          body: text,
        }),
      );
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer to ${method} ${path} within 20 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const json = (value: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(value) });

/** Each Set-Cookie's name, and whether it is Secure. */
const cookieShapes = (answer: Answer) =>
  answer.cookies.map((cookie) => ({ name: cookie.slice(0, cookie.indexOf('=')), secure: /;\s*Secure/i.test(cookie) }));

const cookiePair = (answer: Answer, name: string) => {
  const found = answer.cookies.find((cookie) => cookie.startsWith(`${name}=`));
  expect(found, `${name} in ${answer.cookies.join(' | ')}`).toBeDefined();
  return found!.split(';', 1)[0]!;
};

/** The hidden inputs of the page's first form, as a browser without JavaScript would post them. */
function formFields(html: string): [string, string][] {
  const form = /<form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const unescape = (value: string) =>
    value
      .replaceAll('&quot;', '"')
      .replaceAll('&#x27;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
  return [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)].map((match) => [
    unescape(match[1]!),
    unescape(match[2] ?? ''),
  ]);
}

async function multipart(fields: [string, string][]): Promise<{ contentType: string; body: Buffer }> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  const encoded = new Request('http://form.invalid/', { method: 'POST', body: form });
  return { contentType: encoded.headers.get('content-type')!, body: Buffer.from(await encoded.arrayBuffer()) };
}

async function register(headers: Record<string, string> = {}) {
  const email = uniqueEmail('origin');
  const password = 'correct horse battery staple';
  const { body, ...type } = json({ name: 'Origin', email, password });
  const answer = await send('/api/auth/register', { method: 'POST', headers: { ...headers, ...type }, body });
  expect(answer.status, answer.body).toBe(201);
  return { answer, email, password, session: JSON.parse(answer.body) as { user: { id: number }; token: string } };
}

/** What a client may send to steer us elsewhere. */
const CLIENT_CHOSEN = (host: string) => ({
  host,
  'x-forwarded-host': host,
  'x-forwarded-proto': 'http',
  forwarded: `for=203.0.113.9;host=${host};proto=http`,
});

describe('the production server with PUBLIC_ORIGIN=https://…, behind a TLS-terminating proxy', () => {
  it('signs in through the login form and signs out with the Server Action, over https as the proxy forwards them (no 403), with __Host- Secure cookies', async () => {
    const { email, password } = await register(VIA_PROXY);
    const login = await send('/login', { headers: VIA_PROXY });
    expect(login.status).toBe(200);
    const { contentType, body } = await multipart([
      ...formFields(login.body),
      ['email', email],
      ['password', password],
    ]);
    const signedIn = await send('/login', {
      method: 'POST',
      headers: { ...VIA_PROXY, origin: PUBLIC_ORIGIN, 'content-type': contentType },
      body,
    });
    expect(signedIn.status, signedIn.body).toBe(303);
    expect(signedIn.headers.location).toBe('/users');
    expect(cookieShapes(signedIn)).toEqual([
      { name: '__Host-token', secure: true },
      { name: '__Host-refresh', secure: true },
      { name: '__Host-device', secure: true },
    ]);
    const cookie = `${cookiePair(signedIn, '__Host-token')}; ${cookiePair(signedIn, '__Host-refresh')}`;

    const users = await send('/users', { headers: { ...VIA_PROXY, cookie } });
    expect(users.status).toBe(200);
    const signOutId = /name="\$ACTION_ID_([0-9a-f]+)"/.exec(users.body)?.[1];
    expect(signOutId, 'the sign-out form').toBeDefined();
    const action = (origin: string) =>
      send('/users', {
        method: 'POST',
        headers: {
          ...VIA_PROXY,
          cookie,
          origin,
          'next-action': signOutId!,
          accept: 'text/x-component',
          'content-type': 'text/plain;charset=UTF-8',
        },
        body: '[]',
      });
    const foreign = await action('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ code: 'cross_origin' });
    const signedOut = await action(PUBLIC_ORIGIN);
    // A Server Action called by the page's JavaScript answers 200, its redirect in a header the router follows.
    expect(signedOut.status, signedOut.body).toBe(200);
    expect(signedOut.headers['x-action-redirect'], JSON.stringify(signedOut.headers)).toMatch(/^\/login/);
    expect(cookieShapes(signedOut)).toEqual([
      { name: '__Host-token', secure: true },
      { name: '__Host-refresh', secure: true },
    ]);
  });

  it('signs out through the API from the public origin (204), and refuses another origin, even the one its Host names (403)', async () => {
    const { answer } = await register(VIA_PROXY);
    const cookie = `${cookiePair(answer, '__Host-token')}; ${cookiePair(answer, '__Host-refresh')}`;
    const foreign = await send('/api/auth/logout', {
      method: 'POST',
      headers: { ...CLIENT_CHOSEN('evil.example'), cookie, origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const signedOut = await send('/api/auth/logout', {
      method: 'POST',
      headers: { ...VIA_PROXY, cookie, origin: PUBLIC_ORIGIN },
    });
    expect(signedOut.status).toBe(204);
    expect(cookieShapes(signedOut)).toEqual([
      { name: '__Host-token', secure: true },
      { name: '__Host-refresh', secure: true },
    ]);
  });

  it("builds Location, invitation links, Link and the cookie names from PUBLIC_ORIGIN, whatever the client's Host, X-Forwarded-Host or Forwarded say", async () => {
    const steer = CLIENT_CHOSEN('evil.example');
    const { answer, session } = await register(steer);
    expect(answer.headers.location).toBe(`${PUBLIC_ORIGIN}/api/users/${session.user.id}`);
    expect(cookieShapes(answer)).toEqual([
      { name: '__Host-token', secure: true },
      { name: '__Host-refresh', secure: true },
      { name: '__Host-device', secure: true },
    ]);

    const bearer = { authorization: `Bearer ${(await sharedAdmin()).token}` };
    const { body, ...type } = json({ name: 'Invited', email: uniqueEmail('origin') });
    const created = await send('/api/users', { method: 'POST', headers: { ...steer, ...bearer, ...type }, body });
    expect(created.status, created.body).toBe(201);
    const user = JSON.parse(created.body) as { id: number; invitation: { url: string } };
    expect(created.headers.location).toBe(`${PUBLIC_ORIGIN}/api/users/${user.id}`);
    expect(user.invitation.url).toMatch(new RegExp(`^${PUBLIC_ORIGIN}/invite/[\\w-]+$`));

    const page = await send('/api/users?limit=1', { headers: { ...steer, ...bearer } });
    expect(page.headers.link).toMatch(new RegExp(`^<${PUBLIC_ORIGIN}/api/users\\?limit=1&cursor=\\d+>; rel="next"$`));

    const signIn = await send('/users', { headers: steer });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe(`${PUBLIC_ORIGIN}/login?next=%2Fusers`);
  });

  it('renews an expired access cookie on its own address, whatever Host, X-Forwarded-Host or Forwarded name', async () => {
    const { answer, session } = await register(VIA_PROXY);
    const { sub } = decodeJwt(session.token);
    const expired = await expiredAccessToken(session.token);
    // Where the middleware would post the refresh cookie if it followed the request.
    const elsewhere = await listenElsewhere();
    try {
      const me = await send('/api/auth/me', {
        headers: {
          ...CLIENT_CHOSEN(elsewhere.host),
          cookie: `__Host-token=${expired}; ${cookiePair(answer, '__Host-refresh')}`,
        },
      });
      expect(elsewhere.received).toEqual([]);
      expect(me.status, me.body).toBe(200);
      expect(JSON.parse(me.body)).toMatchObject({ id: Number(sub) });
      expect(cookieShapes(me)).toEqual([
        { name: '__Host-token', secure: true },
        { name: '__Host-refresh', secure: true },
      ]);
    } finally {
      await elsewhere.close();
    }
  });
});
