// The header of every signed-in page: who is signed in, a link to the other page, and sign-out.
import Link from 'next/link';
import { SignOutButton } from './sign-out-button.tsx';

export function SignedInHeader({
  name,
  role,
  link,
}: {
  name: string;
  role: string;
  link: { href: string; label: string };
}) {
  return (
    <header className="site-header">
      <p>
        Signed in as <strong>{name}</strong> <span className="role">({role})</span>
      </p>
      <nav aria-label="Your account" className="header-actions">
        <Link href={link.href}>{link.label}</Link>
        <SignOutButton />
      </nav>
    </header>
  );
}
