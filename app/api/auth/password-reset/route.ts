// POST /api/auth/password-reset — email a one-time link to set a new password (the same 202 whoever asks)
import { readJson } from '@/src/http/body.ts';
import { methodsNotAllowed, noStore, publicRoute } from '@/src/http/handler.ts';
import { requestPasswordReset } from '@/src/invitations/issue.ts';
import { passwordResetSchema } from '@/src/invitations/schema.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const POST = noStore(
  publicRoute('/api/auth/password-reset', 'POST', async ({ req }) =>
    Response.json(await requestPasswordReset(await readJson(req, passwordResetSchema), req), { status: 202 }),
  ),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed('/api/auth/password-reset');
