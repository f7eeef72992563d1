// What every deployment target must answer, whatever carries the request: an HTTP server, a Vercel function
// run on its own, or a Lambda handler invoked with API Gateway events. Each target supplies `send`.
import { expect } from 'vitest';
import { serverSql } from './server-admin.ts';

export interface Sent {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export type Send = (path: string, init?: Sent) => Promise<Response>;

/** The `name=value` pairs of every Set-Cookie, ready to send back as a Cookie header. */
function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/**
 * Walks the app as a newcomer would: the public hello, sign-up (edge, database), a signed-in list and an
 * admin create through the API, then the login page and the server-rendered users page (Node.js, database).
 */
export async function expectDeployedAppAnswers(send: Send, label: string): Promise<void> {
  const hello = await send('/api/hello');
  expect(hello.status, `${label}: GET /api/hello`).toBe(200);
  expect(await hello.json()).toEqual({ message: 'Hello from Next.js Backend!' });

  const email = `deploy-${label.replace(/\W+/g, '-')}-${crypto.randomUUID()}@example.com`.toLowerCase();
  const password = `pw-${crypto.randomUUID()}`;
  const name = `Deploy Check ${crypto.randomUUID().slice(0, 8)}`;
  const json = { 'content-type': 'application/json' };
  const registered = await send('/api/auth/register', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ name, email, password }),
  });
  expect(registered.status, `${label}: POST /api/auth/register`).toBe(201);
  const { token, refreshToken, user } = (await registered.json()) as {
    token: string;
    refreshToken: string;
    user: { id: number };
  };
  const cookie = cookiesFrom(registered);
  expect(cookie, `${label}: the sign-up sets a session cookie`).not.toBe('');

  const listed = await send('/api/users?limit=100', { headers: { authorization: `Bearer ${token}` } });
  expect(listed.status, `${label}: signed-in GET /api/users`).toBe(200);
  expect(((await listed.json()) as { email: string }[]).length).toBeGreaterThan(0);

  // Writes are authorised by the database: the account is made admin there, and its renewed token says so.
  await serverSql(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]);
  const renewed = await send('/api/auth/refresh', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ refreshToken }),
  });
  expect(renewed.status, `${label}: POST /api/auth/refresh`).toBe(200);
  const admin = ((await renewed.json()) as { token: string }).token;
  const createdEmail = `created-${crypto.randomUUID()}@example.com`;
  const created = await send('/api/users', {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${admin}` },
    body: JSON.stringify({ name: 'Created By Admin', email: createdEmail }),
  });
  expect(created.status, `${label}: admin POST /api/users`).toBe(201);
  expect(created.headers.get('location')).toMatch(/\/api\/users\/\d+$/);
  expect(await created.json()).toMatchObject({ email: createdEmail, role: 'user' });

  const login = await send('/login');
  expect(login.status, `${label}: GET /login`).toBe(200);
  expect(login.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await login.text()).toContain('Sign in');

  // The page that starts just before the new account, so its row is on it whatever else the database holds.
  const users = await send(user.id > 1 ? `/users?cursor=${user.id - 1}` : '/users', { headers: { cookie } });
  expect(users.status, `${label}: signed-in GET /users`).toBe(200);
  const html = await users.text();
  expect(html, `${label}: the users page read the viewer from the database`).toContain(`<strong>${name}</strong>`);
  expect(html, `${label}: and listed the users`).toContain(email);
}
