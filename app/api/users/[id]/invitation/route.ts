// POST /api/users/:id/invitation — a new one-time link for the user (admin): an invitation, or a password reset
import { authenticated } from '@/src/auth/authenticated.ts';
import { assertAdmin } from '@/src/auth/guards.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { readId } from '@/src/http/id.ts';
import { issueInvitationOrThrowAs } from '@/src/invitations/issue.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = authenticated(async ({ req, params, user }) => {
  const id = readId(params.id);
  assertAdmin(user, 'Only an admin may issue sign-in links.');
  return Response.json(await issueInvitationOrThrowAs(user, id, req), { status: 201 });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('POST');
