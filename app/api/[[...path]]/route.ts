// Any other /api path, and /api itself — a 404 problem rather than the HTML not-found page
import { handler } from '@/src/http/handler.ts';
import { Problem } from '@/src/http/problem.ts';

export const runtime = 'edge';

const notFound = handler(() => {
  throw new Problem(404, { detail: 'No API endpoint at this path; see /api/openapi.json.' });
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
