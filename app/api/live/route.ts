// GET /api/live — liveness: the server answers; touches nothing (the container's HEALTHCHECK)
import { methodsNotAllowed, publicRoute } from '@/src/http/handler.ts';

export const runtime = 'edge';

export const GET = publicRoute('/api/live', 'GET', () =>
  Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed('/api/live');
