// POST /api/auth/invitation — use a one-time link's token to set a password, and start a session
import { sessionResponse } from '@/src/auth/session-response.ts';
import { readJson } from '@/src/http/body.ts';
import { handler, methodsNotAllowed, noStore } from '@/src/http/handler.ts';
import { acceptInvitation } from '@/src/invitations/accept.ts';
import { acceptInvitationSchema } from '@/src/invitations/schema.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  handler(async ({ req }) => {
    const { user, tokens } = await acceptInvitation(await readJson(req, acceptInvitationSchema));
    return sessionResponse(req, tokens, { user });
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
