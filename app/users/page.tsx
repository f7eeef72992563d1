// /users — a page of users by id for anyone signed in; admins also add users, issue sign-in links and delete users here
import Link from 'next/link';
import { redirect } from 'next/navigation';
import * as z from 'zod/mini';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { isUnavailable } from '@/src/db/errors.ts';
import { pageQuerySchema, splitPage } from '@/src/http/pagination.ts';
import { Problem } from '@/src/http/problem.ts';
import { findUserOrThrow, listUsers } from '@/src/users/queries.ts';
import { SignedInHeader } from '../signed-in-header.tsx';
import { SignOutButton } from '../sign-out-button.tsx';
import { unavailablePath } from '../unavailable/path.ts';
import { AddUserForm } from './add-user-form.tsx';
import { Announcer } from './announcer.tsx';
import { DeleteUserButton } from './delete-user-button.tsx';
import { IssueLinkButton } from './issue-link-button.tsx';

// The Node.js runtime, not the edge: Next's page renderer (~400 KiB) and Prisma's query compiler
// (~660 KiB) make this page 1.23 MiB gzipped as an edge function, over Vercel Hobby's 1 MiB limit.
// Its code is runtime-neutral; on a plan with a larger limit, `export const runtime = 'edge'` moves it.

export const metadata = { title: 'Users' };

interface UsersPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** This page's own query (`?cursor=…&limit=…`), to come back to the same page of users. */
function searchString(params: Awaited<UsersPageProps['searchParams']>): string {
  const search = new URLSearchParams();
  for (const key of ['cursor', 'limit']) {
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
  const query = z.safeParse(pageQuerySchema, { cursor: first(params.cursor), limit: first(params.limit) });
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
  const { items: users, nextCursor } = splitPage(rows, limit);
  const isAdmin = identity.role === 'admin';

  return (
    <>
      <SignedInHeader name={viewer.name} role={identity.role} link={{ href: '/account', label: 'Your account' }} />
      <main className="page">
        <h1>Users</h1>
        {isAdmin && <AddUserForm />}
        <Announcer>
          <div className="table-scroll" role="region" aria-labelledby="users-caption" tabIndex={0}>
            <table>
              <caption id="users-caption">{cursor === undefined ? 'Users, by id' : `Users after id ${cursor}`}</caption>
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  {isAdmin && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.id}>
                    <td>{user.id}</td>
                    <th scope="row">{user.name}</th>
                    <td className="email">{user.email}</td>
                    <td>{user.role}</td>
                    <td>
                      <time dateTime={user.createdAt.toISOString()}>{user.createdAt.toISOString().slice(0, 10)}</time>
                    </td>
                    {isAdmin && (
                      <td>
                        {user.id === identity.id ? (
                          <span className="muted">you</span>
                        ) : (
                          <div className="row-actions">
                            <IssueLinkButton id={user.id} name={user.name} email={user.email} />
                            <DeleteUserButton id={user.id} name={user.name} email={user.email} />
                          </div>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
                {users.length === 0 && (
                  <tr>
                    <td colSpan={isAdmin ? 6 : 5}>No users here.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </Announcer>
        <nav aria-label="Pages of users" className="pagination">
          {cursor !== undefined && <Link href="/users">First page</Link>}
          {nextCursor !== undefined && (
            <Link
              href={{ pathname: '/users', query: { cursor: nextCursor, ...(params.limit ? { limit } : {}) } }}
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
