// POST /api/users/:id/invitation — a new one-time link for the user (admin): an invitation, or a password reset
import { authenticated } from '@/src/auth/authenticated.ts';
import { methodsNotAllowed } from '@/src/http/handler.ts';
import { readId } from '@/src/http/id.ts';
import { issueInvitationOrThrowAs } from '@/src/invitations/issue.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = authenticated('/api/users/[id]/invitation', 'POST', async ({ req, params, caller }) =>
  Response.json(await issueInvitationOrThrowAs(caller, readId(params.id), req), { status: 201 }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/users/[id]/invitation');
