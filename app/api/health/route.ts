// GET /api/health — readiness: the database answers and has every migration this build carries
import { checkReadiness } from '@/src/db/health.ts';
import { methodsNotAllowed, publicRoute } from '@/src/http/handler.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = publicRoute('/api/health', 'GET', async () => {
  await checkReadiness();
  return Response.json({ status: 'ok', database: 'ok' }, { headers: { 'cache-control': 'no-store' } });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed('/api/health');
