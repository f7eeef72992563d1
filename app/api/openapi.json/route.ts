// GET /api/openapi.json — this API's OpenAPI 3.1 description, generated from the schemas that validate requests
import { methodsNotAllowed, publicRoute } from '@/src/http/handler.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import { serializedOpenApiDocument } from '@/src/openapi/document.ts';

export const runtime = 'edge';

export const GET = publicRoute('/api/openapi.json', 'GET', async ({ req }) => {
  const { json, etag } = await serializedOpenApiDocument(publicUrl(req).origin);
  const headers = { 'cache-control': 'public, max-age=300', etag };
  const ifNoneMatch = req.headers.get('if-none-match') ?? '';
  // Weak comparison (RFC 9110 §13.1.2), as If-None-Match requires.
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  if (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => weak(tag) === weak(etag))) {
    return new Response(null, { status: 304, headers });
  }
  // Plain application/json: what browsers display, and what every OpenAPI tool reads.
  return new Response(json, { headers: { ...headers, 'content-type': 'application/json' } });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed('/api/openapi.json');
