// GET /api/hello — a greeting that touches nothing
import { handler, methodsNotAllowed } from '@/src/http/handler.ts';

export const runtime = 'edge';

export const GET = handler(() => Response.json({ message: 'Hello from Next.js Backend!' }));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed('GET');
