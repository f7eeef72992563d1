// sendEmail: one POST /emails as Resend documents it, bounded in time; every failure an EmailNotSent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmailNotSent, sendEmail, type Email } from '@/src/email/resend.ts';
import { fetchVia, resendStandIn, STAND_IN_API_KEY } from '@/test/support/email/resend-stand-in.ts';

const email: Email = {
  from: 'Users <no-reply@users.example.com>',
  to: 'ada@example.com',
  subject: 'Set your password for Users',
  text: 'Hello Ada',
  html: '<p>Hello Ada</p>',
};
const settings = { apiKey: STAND_IN_API_KEY, baseUrl: 'https://api.resend.test', timeoutMs: 5_000 };

function withStandIn() {
  const standIn = resendStandIn();
  vi.stubGlobal('fetch', fetchVia(standIn));
  return standIn;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sendEmail', () => {
  it('posts the email to /emails with the Bearer key, JSON and the idempotency key, and returns its id', async () => {
    const standIn = withStandIn();
    const id = await sendEmail(email, settings, 'invitation/abc');
    expect(standIn.refused).toEqual([]);
    expect(standIn.accepted).toHaveLength(1);
    const [accepted] = standIn.accepted;
    expect(id).toBe(accepted!.id);
    expect(accepted!.body).toEqual(email);
    expect(accepted!.headers).toMatchObject({
      authorization: `Bearer ${STAND_IN_API_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': 'invitation/abc',
    });
  });

  it('keeps a path in the base URL', async () => {
    const standIn = resendStandIn();
    const urls: string[] = [];
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(String(input));
      return fetchVia(standIn)(input, init);
    });
    await sendEmail(email, { ...settings, baseUrl: 'http://localhost:3000/dev/mailbox' }, 'key');
    expect(urls).toEqual(['http://localhost:3000/dev/mailbox/emails']);
  });

  it.each([422, 500])('throws EmailNotSent with the status and Resend’s message when it answers %i', async (status) => {
    const standIn = withStandIn();
    standIn.fail(status);
    const sent = sendEmail(email, settings, 'key');
    await expect(sent).rejects.toThrow(EmailNotSent);
    await expect(sent).rejects.toThrow(`Resend answered ${status}: application_error: Something went wrong`);
  });

  it('throws EmailNotSent when Resend refuses the key', async () => {
    withStandIn();
    await expect(sendEmail(email, { ...settings, apiKey: 're_wrong' }, 'key')).rejects.toThrow(
      'Resend answered 403: invalid_api_key',
    );
  });

  it('throws EmailNotSent when Resend cannot be reached', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('fetch failed')));
    await expect(sendEmail(email, settings, 'key')).rejects.toThrow('Resend could not be reached');
  });

  it('gives up after the timeout when Resend does not answer', async () => {
    const standIn = withStandIn();
    const release = standIn.hold();
    try {
      await expect(sendEmail(email, { ...settings, timeoutMs: 100 }, 'key')).rejects.toThrow(
        'Resend did not answer within 100 ms',
      );
    } finally {
      release();
    }
  });
});
