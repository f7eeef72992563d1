// GET /api/cron/prune — deletes expired sessions, links and rate-limit windows (Vercel Cron, vercel.json)
import { db } from '@/src/db/client.ts';
import { env } from '@/src/env.ts';
import { methodsNotAllowed, noStore, publicRoute } from '@/src/http/handler.ts';
import { assertCron } from '@/src/maintenance/cron.ts';
import { pruneExpired } from '@/src/maintenance/prune.ts';

export const runtime = 'edge';
// Runs beside the database, in the project's function region (README: where functions run).
export const preferredRegion = 'home';

export const GET = noStore(
  publicRoute('/api/cron/prune', 'GET', async ({ req }) => {
    await assertCron(req);
    const { LOGIN_WINDOW_SECONDS, REGISTER_WINDOW_SECONDS } = env();
    const result = await pruneExpired((sql, params) => db().$queryRawUnsafe(sql, ...params), {
      loginWindowSeconds: LOGIN_WINDOW_SECONDS,
      registerWindowSeconds: REGISTER_WINDOW_SECONDS,
    });
    return Response.json(result);
  }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed('/api/cron/prune');
