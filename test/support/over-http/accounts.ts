// Accounts with passwords on the integration server: registered through the API, and made admins by an admin
// of the server (see server-admin.ts), and the API's view of the users table.
import { expect } from 'vitest';
import { api } from './http.ts';
import { uniqueEmail } from '../requests.ts';
import { sharedAdmin } from './server-admin.ts';

export interface Account {
  id: number;
  name: string;
  email: string;
  password: string;
  role: 'user' | 'admin';
}

export interface ApiUser {
  id: number;
  name: string;
  email: string;
  role: string;
}

async function serverAdminToken(): Promise<string> {
  return (await sharedAdmin()).token;
}

/** A new account with the `user` role, signed up through POST /api/auth/register. */
export async function registerAccount(name = 'Ada Lovelace'): Promise<Account> {
  const email = uniqueEmail('e2e');
  const password = `pw-${crypto.randomUUID()}`;
  const response = await api('/api/auth/register', { method: 'POST', json: { name, email, password } });
  expect(response.status).toBe(201);
  const { user } = (await response.json()) as { user: ApiUser };
  return { id: user.id, name, email, password, role: 'user' };
}

/** A new account promoted to admin through PATCH /api/users/:id; it must sign in again to get an admin token. */
export async function registerAdmin(name = 'Grace Hopper'): Promise<Account> {
  const account = await registerAccount(name);
  const response = await api(`/api/users/${account.id}`, {
    method: 'PATCH',
    json: { role: 'admin' },
    headers: { authorization: `Bearer ${await serverAdminToken()}` },
  });
  expect(response.status).toBe(200);
  return { ...account, role: 'admin' };
}

/** Users created through POST /api/users, without passwords: to fill pages. */
export async function createUsers(count: number, prefix = 'Filler'): Promise<ApiUser[]> {
  const authorization = `Bearer ${await serverAdminToken()}`;
  const created: ApiUser[] = [];
  for (let i = 0; i < count; i++) {
    const json = { name: `${prefix} ${i + 1}`, email: uniqueEmail('filler') };
    const response = await api('/api/users', { method: 'POST', json, headers: { authorization } });
    expect(response.status).toBe(201);
    created.push((await response.json()) as ApiUser);
  }
  return created;
}

/** The user with this email as GET /api/users reports it, following every page; undefined when absent. */
export async function findUserByEmail(email: string): Promise<ApiUser | undefined> {
  const authorization = `Bearer ${await serverAdminToken()}`;
  let path: string | undefined = '/api/users?limit=100';
  while (path) {
    const response: Response = await api(path, { headers: { authorization } });
    expect(response.status).toBe(200);
    const found = ((await response.json()) as ApiUser[]).find((user) => user.email === email.toLowerCase());
    if (found) return found;
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    path = next ? new URL(next).pathname + new URL(next).search : undefined;
  }
  return undefined;
}
