// /login — sign in with email and password; then on to `?next=` (a path on this site) or /users
import { redirect } from 'next/navigation';
import { currentIdentity } from '@/src/auth/current-user.ts';
import { safeNextPath } from '@/src/auth/next-path.ts';
import { LoginForm } from './login-form.tsx';

export const runtime = 'edge';

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
    </main>
  );
}
