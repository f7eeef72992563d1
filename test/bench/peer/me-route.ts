// GET /api/peer/auth/me — the peer of GET /api/auth/me (test/bench/peer/neon.ts).
import { toPublicUser } from '@/src/users/schema.ts';
import { findUserOrThrow, signedInGet } from '@/test/bench/peer/neon.ts';

export const runtime = 'edge';
export const preferredRegion = 'home';

export const GET = signedInGet(async (_req, { caller }) =>
  Response.json(toPublicUser(await findUserOrThrow(caller.id))),
);
