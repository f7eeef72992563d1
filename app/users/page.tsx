// /users — a page of users by id for anyone signed in, searchable by name or email; each edits their own row, and
// admins also add users, see who has signed in yet, change anyone's name, email and role, issue links and delete
import Link from 'next/link';
import { redirect } from 'next/navigation';
import * as z from 'zod/mini';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { isUnavailable } from '@/src/db/errors.ts';
import { splitPage } from '@/src/http/pagination.ts';
import { Problem } from '@/src/http/problem.ts';
import { findUserOrThrow, listUsers } from '@/src/users/queries.ts';
import { MAX_SEARCH_LENGTH, usersQuerySchema } from '@/src/users/search.ts';
import { signInState } from '@/src/users/state.ts';
import { SignedInHeader } from '../signed-in-header.tsx';
import { SignOutButton } from '../sign-out-button.tsx';
import { unavailablePath } from '../unavailable/path.ts';
import { AddUserForm } from './add-user-form.tsx';
import { Announcer } from './announcer.tsx';
import { UserRow } from './user-row.tsx';

// The Node.js runtime, not the edge: Next's page renderer (~400 KiB) and Prisma's query compiler
// (~660 KiB) make this page 1.23 MiB gzipped as an edge function, over Vercel Hobby's 1 MiB limit.
// Its code is runtime-neutral; on a plan with a larger limit, `export const runtime = 'edge'` moves it.

export const metadata = { title: 'Users' };

interface UsersPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** This page's own query (`?q=…&cursor=…&limit=…`), to come back to the same page of users. */
function searchString(params: Awaited<UsersPageProps['searchParams']>): string {
  const search = new URLSearchParams();
  for (const key of ['q', 'cursor', 'limit']) {
    const value = first(params[key]);
    if (value !== undefined) search.set(key, value);
  }
  return search.size ? `?${search}` : '';
}

/** The viewer's own record; null when the account was deleted after the token was issued. */
async function findViewer(id: number) {
  try {
    return await findUserOrThrow(id);
  } catch (error) {
    if (error instanceof Problem && error.code === 'user_not_found') return null;
    throw error;
  }
}

export default async function UsersPage({ searchParams }: UsersPageProps) {
  // Checked again here, from the cookie itself: the middleware's redirect is the early no, not the boundary.
  const identity = await currentIdentity();
  if (!identity) redirect('/login?next=/users');
  const params = await searchParams;
  // An empty search box is no search.
  const q = first(params.q)?.trim() || undefined;
  const query = z.safeParse(usersQuerySchema, { cursor: first(params.cursor), limit: first(params.limit), q });
  if (!query.success) redirect('/users');

  const [viewer, rows] = await Promise.all([findViewer(identity.id), listUsers(query.data)]).catch((error) => {
    // An outage is not a bug: the notice answers 503, keeps sign-out, and brings the person back here.
    if (isUnavailable(error)) redirect(unavailablePath(`/users${searchString(params)}`));
    throw error;
  });
  if (!viewer) {
    return (
      <main className="page page-narrow">
        <h1>Users</h1>
        <p role="alert">This account no longer exists. Sign out, then sign in with another account.</p>
        <SignOutButton />
      </main>
    );
  }
  const { limit, cursor } = query.data;
  const now = new Date();
  const { items: users, nextCursor } = splitPage(rows, limit);
  const isAdmin = identity.role === 'admin';

  const columns = isAdmin ? 7 : 6;
  const caption = q
    ? `Users matching “${q}”${cursor === undefined ? '' : `, after id ${cursor}`}`
    : cursor === undefined
      ? 'Users, by id'
      : `Users after id ${cursor}`;

  return (
    <>
      <SignedInHeader name={viewer.name} role={identity.role} link={{ href: '/account', label: 'Your account' }} />
      <main className="page">
        <h1>Users</h1>
        {isAdmin && <AddUserForm />}
        <form role="search" action="/users" className="search-form">
          <label htmlFor="user-search">Search users</label>
          <div className="search-row">
            <input
              id="user-search"
              type="search"
              name="q"
              defaultValue={q}
              maxLength={MAX_SEARCH_LENGTH}
              placeholder="Part of a name or an email"
            />
            <button type="submit">Search</button>
            {q && <Link href="/users">Clear</Link>}
          </div>
        </form>
        <Announcer>
          <div className="table-scroll" role="region" aria-labelledby="users-caption" tabIndex={0}>
            <table className="users-table">
              <caption id="users-caption">{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  {isAdmin && <th scope="col">Status</th>}
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <UserRow
                    key={user.id}
                    user={{
                      id: user.id,
                      name: user.name,
                      email: user.email,
                      role: user.role,
                      createdAt: user.createdAt.toISOString(),
                      ...(isAdmin
                        ? {
                            state: signInState(user, now),
                            ...(user.linkExpiresAt ? { linkExpiresAt: user.linkExpiresAt.toISOString() } : {}),
                          }
                        : {}),
                    }}
                    self={user.id === identity.id}
                    isAdmin={isAdmin}
                    columns={columns}
                  />
                ))}
                {users.length === 0 && (
                  <tr>
                    <td colSpan={columns}>{q ? `Nobody’s name or email contains “${q}”.` : 'No users here.'}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </Announcer>
        <nav aria-label="Pages of users" className="pagination">
          {cursor !== undefined && <Link href={{ pathname: '/users', query: q ? { q } : {} }}>First page</Link>}
          {nextCursor !== undefined && (
            <Link
              href={{
                pathname: '/users',
                query: { ...(q ? { q } : {}), cursor: nextCursor, ...(params.limit ? { limit } : {}) },
              }}
              rel="next"
            >
              Next page
            </Link>
          )}
        </nav>
      </main>
    </>
  );
}
