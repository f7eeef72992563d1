// The client's address, for counting attempts per address. Behind a trusted proxy (TRUST_PROXY) it is the one the
// proxy forwards. On this app's own Node.js server reached directly it is the socket's, which the server stamps on
// each request (src/startup.ts) under a MAC a client cannot forge: Next.js itself only fills in X-Forwarded-For
// when a client did not send one, so that header cannot tell a socket's address from a client's claim.
import { equalInConstantTime, macOf } from '@/src/auth/keys.ts';
import { env } from '@/src/env.ts';
import { firstHop } from './public-url.ts';

/** The request header the Node.js server sets to `<address> <MAC>` (and removes from what clients send). */
export const SOCKET_ADDRESS_HEADER = 'x-edge-users-socket-address';

/** What the MAC signs: the address under a label of its own. */
export const socketAddressMessage = (address: string) => `socket-address ${address}`;

async function stampedAddress(stamp: string | null): Promise<string | undefined> {
  const [address, mac, ...rest] = stamp?.split(' ') ?? [];
  if (!address || !mac || rest.length > 0) return undefined;
  const expected = await macOf('socketAddress', socketAddressMessage(address));
  return equalInConstantTime(expected, mac) ? address : undefined;
}

/**
 * The client's address as the platform saw it: with TRUST_PROXY, Vercel's `X-Real-IP`, else the first
 * `X-Forwarded-For` hop; without, the socket's address as this app's Node.js server stamped it. Undefined where no
 * address can be known (without TRUST_PROXY behind a proxy, or on a host that does not run src/startup.ts).
 */
export function clientAddress(req: Request): Promise<string | undefined> {
  if (env().TRUST_PROXY) {
    return Promise.resolve(firstHop(req.headers.get('x-real-ip')) ?? firstHop(req.headers.get('x-forwarded-for')));
  }
  return stampedAddress(req.headers.get(SOCKET_ADDRESS_HEADER));
}
