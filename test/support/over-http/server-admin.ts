// Real accounts on a running server: signed up through the API, made admin in its database (nothing in the API
// can make the first admin), then renewed so the access token carries the role the database now holds.
import { inject } from 'vitest';
import { api, baseUrl } from './http.ts';
import { uniqueEmail } from '../requests.ts';

const endpoint = inject('localDbEndpoint');
const connectionString = inject('localDbUrl');

/** Runs one statement on the server's database through its local endpoint, not through the app. */
export async function serverSql(query: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'neon-connection-string': connectionString,
    },
    body: JSON.stringify({ query, params }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`/sql answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
}

export interface ServerAccount {
  id: number;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

/** A new `user` account, signed up (and so signed in) through POST /api/auth/register. */
export async function signUpOnServer(
  name = 'Test user',
  headers: Record<string, string> = {},
  base = baseUrl,
): Promise<ServerAccount> {
  const email = uniqueEmail('account');
  const password = `pw-${crypto.randomUUID()}`;
  const response = await fetch(new URL('/api/auth/register', base), {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name, email, password }),
    signal: AbortSignal.timeout(20_000),
  });
  if (response.status !== 201) throw new Error(`register answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { user: { id: number }; token: string; refreshToken: string };
  return { id: body.user.id, email, password, token: body.token, refreshToken: body.refreshToken };
}

/** Renews an account's session; its new access token carries the database's current role. */
export async function renewOnServer(account: ServerAccount): Promise<ServerAccount> {
  const response = await api('/api/auth/refresh', { method: 'POST', json: { refreshToken: account.refreshToken } });
  if (response.status !== 200) throw new Error(`refresh answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { token: string; refreshToken: string };
  return { ...account, token: body.token, refreshToken: body.refreshToken };
}

/** A new signed-in admin. */
export async function adminOnServer(name = 'Test admin'): Promise<ServerAccount> {
  const account = await signUpOnServer(name);
  await serverSql(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
  return renewOnServer(account);
}

let shared: Promise<ServerAccount> | undefined;

/** One admin per test file, for setting things up. */
export function sharedAdmin(): Promise<ServerAccount> {
  shared ??= adminOnServer('Shared admin');
  return shared;
}
