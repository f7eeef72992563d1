// POST /dev/mailbox/emails — development only: Resend's send-email call, answered as Resend would, kept for /dev/mailbox
import * as z from 'zod/mini';
import { DEVELOPMENT_MAILBOX_KEY, receiveEmail } from '@/src/email/development-mailbox.ts';
import { env } from '@/src/env.ts';
import { Problem, problemResponse } from '@/src/http/problem.ts';

const emailSchema = z.object({
  from: z.string().check(z.minLength(1)),
  to: z.string().check(z.minLength(1)),
  subject: z.string().check(z.minLength(1)),
  text: z.string(),
  html: z.string(),
});

export async function POST(req: Request): Promise<Response> {
  if (env().NODE_ENV !== 'development') {
    return problemResponse(new Problem('not_found', { detail: 'There is a mailbox only in development.' }));
  }
  if (req.headers.get('authorization') !== `Bearer ${DEVELOPMENT_MAILBOX_KEY}`) {
    return Response.json({ statusCode: 401, name: 'missing_api_key', message: 'Missing API key' }, { status: 401 });
  }
  const parsed = z.safeParse(emailSchema, await req.json().catch(() => undefined));
  if (!parsed.success) {
    return Response.json(
      { statusCode: 422, name: 'validation_error', message: z.prettifyError(parsed.error) },
      { status: 422 },
    );
  }
  const { id } = receiveEmail(parsed.data);
  console.info(`Development mailbox: "${parsed.data.subject}" to ${parsed.data.to} (/dev/mailbox)`);
  return Response.json({ id });
}
