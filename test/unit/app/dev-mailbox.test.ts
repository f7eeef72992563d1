// POST /dev/mailbox/emails: in development, Resend's send-email call kept for /dev/mailbox; elsewhere a 404.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEVELOPMENT_MAILBOX_KEY } from '@/src/email/development-mailbox.ts';

const email = {
  from: 'Users <no-reply@localhost.test>',
  to: 'ada@example.com',
  subject: 'Set your password for Users',
  text: 'Hello Ada',
  html: '<p>Hello Ada</p>',
};

async function post(nodeEnv: string, body: unknown, key = DEVELOPMENT_MAILBOX_KEY) {
  vi.stubEnv('NODE_ENV', nodeEnv);
  vi.stubEnv('DATABASE_URL', 'postgresql://app:secret@db.example:5432/app');
  vi.stubEnv('JWT_SECRET', 'x'.repeat(32));
  vi.stubEnv('PUBLIC_ORIGIN', 'http://localhost:3000');
  vi.resetModules();
  vi.spyOn(console, 'info').mockImplementation(() => {});
  const { POST } = await import('@/app/dev/mailbox/emails/route.ts');
  const mailbox = await import('@/src/email/development-mailbox.ts');
  const response = await POST(
    new Request('http://localhost:3000/dev/mailbox/emails', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  return { response, received: mailbox.receivedEmails() };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.resetModules();
  delete (globalThis as { developmentMailbox?: unknown }).developmentMailbox;
});

describe('POST /dev/mailbox/emails', () => {
  it('keeps the email in development and answers its id, as Resend does', async () => {
    const { response, received } = await post('development', email);
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    expect(received).toEqual([{ ...email, id, receivedAt: expect.any(String) }]);
  });

  it('refuses a request without its key with 401, and an incomplete email with 422', async () => {
    expect((await post('development', email, 're_wrong')).response.status).toBe(401);
    const { response, received } = await post('development', { ...email, subject: '' });
    expect(response.status).toBe(422);
    expect(received).toEqual([]);
  });

  it('answers 404 in production, keeping nothing', async () => {
    const { response, received } = await post('production', email);
    expect(response.status).toBe(404);
    expect(received).toEqual([]);
  });
});
