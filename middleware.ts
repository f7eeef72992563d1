// The edge gate in front of every page and API route except static assets; see src/auth/gate.ts.
import { gate } from '@/src/auth/gate.ts';

export const middleware = gate;

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|robots\\.txt).*)'],
};
