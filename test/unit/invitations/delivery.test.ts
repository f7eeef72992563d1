// sendInvitation: email through Resend when a key is set, the development mailbox without one in development, and
// logs that never carry the link in production.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEVELOPMENT_MAILBOX_KEY } from '@/src/email/development-mailbox.ts';
import { fetchVia, resendStandIn, STAND_IN_API_KEY } from '@/test/support/email/resend-stand-in.ts';

const TOKEN = 'secret-token-0123456789';
const message = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  url: `http://localhost:3000/invite/${TOKEN}`,
  purpose: 'invitation' as const,
  expiresAt: '2026-12-03T06:00:00.000Z',
};

function settings(nodeEnv: string, extra: Record<string, string> = {}) {
  vi.stubEnv('NODE_ENV', nodeEnv);
  vi.stubEnv('DATABASE_URL', 'postgresql://app:secret@db.example:5432/app');
  vi.stubEnv('JWT_SECRET', 'x'.repeat(32));
  vi.stubEnv('PASSWORD_ITERATIONS', '600000');
  vi.stubEnv('PUBLIC_ORIGIN', 'http://localhost:3000');
  for (const [name, value] of Object.entries(extra)) vi.stubEnv(name, value);
  vi.resetModules();
}

const WITH_KEY = {
  RESEND_API_KEY: STAND_IN_API_KEY,
  EMAIL_FROM: 'Users <no-reply@users.example.com>',
  RESEND_BASE_URL: 'https://api.resend.test',
};

/** Sends `message` with these settings; what was logged (every console line) and what the stand-in got. */
async function send(
  nodeEnv: string,
  extra: Record<string, string> = {},
  purpose: 'invitation' | 'password_reset' = 'invitation',
) {
  settings(nodeEnv, extra);
  const standIn = resendStandIn(extra.RESEND_API_KEY ?? DEVELOPMENT_MAILBOX_KEY);
  const urls: string[] = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(String(input));
    return fetchVia(standIn)(input, init);
  });
  const lines: string[] = [];
  for (const level of ['info', 'log', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  }
  const { sendInvitation } = await import('@/src/invitations/delivery.ts');
  const sent = await sendInvitation({ ...message, purpose }).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  return { lines, standIn, urls, error: sent };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('sendInvitation with RESEND_API_KEY', () => {
  it('emails the person from EMAIL_FROM, with both bodies, through RESEND_BASE_URL', async () => {
    const { standIn, urls, error } = await send('production', WITH_KEY);
    expect(error).toBeUndefined();
    expect(urls).toEqual(['https://api.resend.test/emails']);
    expect(standIn.refused).toEqual([]);
    const [email] = standIn.accepted;
    expect(email!.body).toMatchObject({
      from: 'Users <no-reply@users.example.com>',
      to: 'ada@example.com',
      subject: 'Set your password for Users',
    });
    expect(email!.body.text).toContain(message.url);
    expect(email!.body.html).toContain(message.url);
    expect(email!.headers['idempotency-key']).toMatch(/^invitation\/[\w-]{43}$/);
    expect(email!.headers['idempotency-key']).not.toContain(TOKEN);
  });

  it('logs that it was sent, never the link, in production', async () => {
    const { lines } = await send('production', WITH_KEY);
    expect(lines).toEqual([
      expect.stringMatching(/^Invitation for Ada Lovelace <ada@example\.com>, until .*: emailed/),
    ]);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it.each([422, 503])('throws, without the link, when Resend answers %i', async (status) => {
    settings('production', WITH_KEY);
    const standIn = resendStandIn();
    standIn.fail(status);
    vi.stubGlobal('fetch', fetchVia(standIn));
    const { sendInvitation } = await import('@/src/invitations/delivery.ts');
    const { causeChain } = await import('@/src/http/errors.ts');
    const error = await sendInvitation(message).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Error);
    expect(causeChain(error)).toContain(`Resend answered ${status}`);
    expect(causeChain(error)).not.toContain(TOKEN);
  });
});

describe('sendInvitation without RESEND_API_KEY', () => {
  it('in development, logs the link in one line and sends the email to the development mailbox', async () => {
    const { lines, standIn, urls } = await send('development', { INTERNAL_ORIGIN: 'http://127.0.0.1:3000' });
    expect(lines).toEqual([
      `Invitation for Ada Lovelace <ada@example.com>, until 2026-12-03T06:00:00.000Z: http://localhost:3000/invite/${TOKEN}`,
    ]);
    expect(urls).toEqual(['http://127.0.0.1:3000/dev/mailbox/emails']);
    expect(standIn.refused).toEqual([]);
    expect(standIn.accepted[0]!.body.text).toContain(message.url);
  });

  it('in development, words a reset as one', async () => {
    const { lines } = await send('development', { INTERNAL_ORIGIN: 'http://127.0.0.1:3000' }, 'password_reset');
    expect(lines[0]).toMatch(/^Password-reset link for Ada Lovelace <ada@example\.com>, until .*: http:\/\/localhost/);
  });

  it('in production, sends nothing and logs one line without the link', async () => {
    const { lines, urls } = await send('production');
    expect(urls).toEqual([]);
    expect(lines).toEqual([expect.stringMatching(/^Invitation for Ada Lovelace <ada@example\.com>.*not emailed/)]);
    expect(lines[0]).not.toContain(TOKEN);
  });

  it('in tests, sends and logs nothing', async () => {
    const { lines, urls } = await send('test');
    expect(urls).toEqual([]);
    expect(lines).toEqual([]);
  });
});
