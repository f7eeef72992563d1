// Any other /api path, and /api itself — a 404 problem rather than the HTML not-found page, to anyone
import { publicRoute } from '@/src/http/handler.ts';
import { Problem } from '@/src/http/problem.ts';

export const runtime = 'edge';

const noSuchEndpoint = () => {
  throw new Problem('no_such_endpoint', { detail: 'No API endpoint at this path; see /api/openapi.json.' });
};

export const GET = publicRoute('/api/[[...path]]', 'GET', noSuchEndpoint);
export const POST = publicRoute('/api/[[...path]]', 'POST', noSuchEndpoint);
export const PUT = publicRoute('/api/[[...path]]', 'PUT', noSuchEndpoint);
export const PATCH = publicRoute('/api/[[...path]]', 'PATCH', noSuchEndpoint);
export const DELETE = publicRoute('/api/[[...path]]', 'DELETE', noSuchEndpoint);
