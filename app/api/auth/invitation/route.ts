// POST /api/auth/invitation — use a one-time link's token to set a password, and start a session
import { signedInResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed, noStore, publicRoute } from '@/src/http/handler.ts';
import { acceptInvitation } from '@/src/invitations/accept.ts';
import { acceptInvitationSchema } from '@/src/invitations/schema.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  publicRoute('/api/auth/invitation', 'POST', async ({ req }) =>
    signedInResponse(req, await acceptInvitation(await readJson(req, acceptInvitationSchema), req)),
  ),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/invitation');
