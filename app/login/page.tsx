// /login — sign in with email and password; then on to `?next=` (a path on this site) or /users
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { safeNextPath } from '@/src/auth/next-path.ts';
import { env } from '@/src/env.ts';
import { LoginForm } from './login-form.tsx';

// The Node.js runtime, not the edge: Next's page renderer (~400 KiB) and Prisma's query compiler
// (~660 KiB) make this page 1.23 MiB gzipped as an edge function, over Vercel Hobby's 1 MiB limit.
// Its code is runtime-neutral; on a plan with a larger limit, `export const runtime = 'edge'` moves it.

export const metadata = { title: 'Sign in · Users' };

interface LoginPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const { next } = await searchParams;
  const nextPath = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (await currentIdentity()) redirect(nextPath);
  return (
    <main className="page page-narrow">
      <h1>Sign in</h1>
      <LoginForm next={nextPath} />
      <p className="page-links">
        <Link href="/forgot">Forgot your password?</Link>
      </p>
      {env().REGISTRATION_ENABLED && (
        <p className="page-links">
          No account yet? <Link href="/signup">Create one</Link>
        </p>
      )}
    </main>
  );
}
