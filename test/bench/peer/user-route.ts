// GET /api/peer/users/:id — the peer of GET /api/users/:id (test/bench/peer/neon.ts).
import { readId } from '@/src/http/id.ts';
import { toPublicUser } from '@/src/users/schema.ts';
import { findUserOrThrow, signedInGet } from '@/test/bench/peer/neon.ts';

export const runtime = 'edge';
export const preferredRegion = 'home';

export const GET = signedInGet(async (_req, { params }) =>
  Response.json(toPublicUser(await findUserOrThrow(readId(params.id)))),
);
