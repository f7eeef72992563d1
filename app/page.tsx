// / — to the users list when signed in, else to sign in
import { redirect } from 'next/navigation';
import { currentIdentity } from '@/src/auth/current-user.ts';

export const runtime = 'edge';

export default async function HomePage() {
  redirect((await currentIdentity()) ? '/users' : '/login');
}
