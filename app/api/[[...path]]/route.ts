// Any other /api path, and /api itself — a 404 problem rather than the HTML not-found page
import { authenticated } from '@/src/auth/authenticated.ts';
import { Problem } from '@/src/http/problem.ts';

export const runtime = 'edge';

const noSuchEndpoint = () => {
  throw new Problem('no_such_endpoint', { detail: 'No API endpoint at this path; see /api/openapi.json.' });
};

export const GET = authenticated('/api/[[...path]]', 'GET', noSuchEndpoint);
export const POST = authenticated('/api/[[...path]]', 'POST', noSuchEndpoint);
export const PUT = authenticated('/api/[[...path]]', 'PUT', noSuchEndpoint);
export const PATCH = authenticated('/api/[[...path]]', 'PATCH', noSuchEndpoint);
export const DELETE = authenticated('/api/[[...path]]', 'DELETE', noSuchEndpoint);
