// Reads a JSON request body within a size limit and validates it against a schema.
import type * as z from 'zod/mini';
import { Problem } from './problem.ts';
import { validate } from './validation.ts';

export const MAX_BODY_BYTES = 16 * 1024;

const tooLarge = () => new Problem('body_too_large', { detail: `The request body exceeds ${MAX_BODY_BYTES} bytes.` });

function isJson(contentType: string | null): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/** Reads at most MAX_BODY_BYTES, whatever Content-Length claims, so a lying client cannot exhaust memory. */
async function readText(req: Request): Promise<string> {
  const declared = Number(req.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Problem('malformed_body', { detail: 'The request body is not valid UTF-8.' });
  }
}

/** The body as JSON, validated: 415 unless JSON, 413 when too large, 400 when malformed or invalid. */
export async function readJson<Schema extends z.ZodMiniType>(req: Request, schema: Schema): Promise<z.output<Schema>> {
  if (!isJson(req.headers.get('content-type'))) {
    throw new Problem('unsupported_media_type', {
      detail: 'The request body must be JSON, sent with Content-Type: application/json.',
      headers: { 'accept-post': 'application/json', 'accept-patch': 'application/json' },
    });
  }
  const text = await readText(req);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Problem('malformed_body', { detail: 'The request body is not valid JSON.' });
  }
  return validate(schema, data, 'body');
}
