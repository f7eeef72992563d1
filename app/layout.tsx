// The root layout shared by every page.
import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'Users' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
