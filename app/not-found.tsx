// Any page that does not exist (an unknown /api path is answered by the API's own 404 problem instead).
import { cookies } from 'next/headers';
import Link from 'next/link';
import { SESSION_COOKIE_NAMES } from '@/src/auth/cookie.ts';

export const metadata = { title: 'Page not found · Users' };

export default async function NotFound() {
  // Only which link to offer: a session cookie is enough to guess, and needs no settings. Static pages (/docs)
  // render this at build time, with no cookies and no configuration.
  const jar = await cookies();
  const signedIn = SESSION_COOKIE_NAMES.some((name) => jar.has(name));
  return (
    <main className="page page-narrow notice">
      <p className="notice-code" aria-hidden="true">
        404
      </p>
      <h1>Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <ul className="notice-links">
        <li>
          {signedIn ? (
            <Link href="/users" className="button-link">
              Back to the users
            </Link>
          ) : (
            <Link href="/login" className="button-link">
              Sign in
            </Link>
          )}
        </li>
        <li>
          <Link href="/docs">API reference</Link>
        </li>
      </ul>
    </main>
  );
}
