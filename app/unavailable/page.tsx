// /unavailable?next=… — where a page that needs the database sends a signed-in person while it cannot be reached.
// Answered with 503 and Retry-After (middleware.ts sets them: a page cannot choose its own status in Next.js).
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { safeNextPath } from '@/src/auth/next-path.ts';
import { pingDatabase } from '@/src/db/health.ts';
import { SignOutButton } from '../sign-out-button.tsx';

export const metadata = { title: 'Temporarily unavailable · Users', robots: { index: false } };

interface UnavailablePageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

async function databaseAnswers(): Promise<boolean> {
  try {
    await pingDatabase();
    return true;
  } catch {
    return false;
  }
}

export default async function UnavailablePage({ searchParams }: UnavailablePageProps) {
  const identity = await currentIdentity();
  const { next } = await searchParams;
  const nextPath = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (!identity) redirect(`/login?${new URLSearchParams({ next: nextPath })}`);
  // Reloaded after the outage ended: back to where the person was going, not a stale notice.
  if (await databaseAnswers()) redirect(nextPath);
  return (
    <>
      <header className="site-header">
        <p>
          Signed in <span className="role">({identity.role})</span>
        </p>
        <SignOutButton />
      </header>
      <main className="page page-narrow notice">
        <p className="notice-code" aria-hidden="true">
          503
        </p>
        <h1>Temporarily unavailable</h1>
        <p role="alert">The database cannot be reached right now, so this page cannot be shown. Try again shortly.</p>
        <ul className="notice-links">
          <li>
            <Link href={nextPath} className="button-link" prefetch={false}>
              Try again
            </Link>
          </li>
        </ul>
      </main>
    </>
  );
}
