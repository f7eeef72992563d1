// GET /api/hello — a greeting that touches nothing
import { methodsNotAllowed, publicRoute } from '@/src/http/handler.ts';

export const runtime = 'edge';

export const GET = publicRoute('/api/hello', 'GET', () => Response.json({ message: 'Hello from Next.js Backend!' }));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed('/api/hello');
