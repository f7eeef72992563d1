// Email on the production server, with Resend's API played by a stand-in that checks every request: links reach
// their person, and POST /api/auth/password-reset answers the same for every email, after the same work, before
// any email goes out, within its limits; the link it sends works as an admin-issued reset does.
import { describe, expect, it } from 'vitest';
import { STAND_IN_API_KEY, type AcceptedEmail } from '@/test/support/email/resend-stand-in.ts';
import { STAND_IN_SENDER, withEmailingServer } from '@/test/support/over-http/emailing-server.ts';
import { countServerRoundTrips } from '@/test/support/over-http/http.ts';
import { serverSql, signUpOnServer, type ServerAccount } from '@/test/support/over-http/server-admin.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

const MAX_PER_EMAIL = 2;
const MAX_PER_ADDRESS = 4;

const emailing = withEmailingServer({
  // Each test asks from its own address (X-Forwarded-For), so the per-address limit is each test's own.
  TRUST_PROXY: 'true',
  PASSWORD_RESET_MAX_PER_EMAIL: String(MAX_PER_EMAIL),
  PASSWORD_RESET_MAX_PER_ADDRESS: String(MAX_PER_ADDRESS),
  // Far beyond the tests' own 20 s: a send made before answering, held by the stand-in, would hang the answer.
  EMAIL_TIMEOUT_MS: '60000',
});

let lastAddress = 0;
/** A client address no other request in this file has used. */
const newAddress = () => `198.51.100.${++lastAddress}`;

function call(
  path: string,
  init: { json?: unknown; token?: string; address?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(new URL(path, emailing.server.origin), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': init.address ?? newAddress(),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: JSON.stringify(init.json ?? {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
}

const askForReset = (email: string, address?: string) => call('/api/auth/password-reset', { json: { email }, address });

/** The first email the stand-in accepts for `to`, waiting up to 30 s for it. */
function emailTo(to: string): Promise<AcceptedEmail> {
  return Promise.race([
    emailing.standIn.emailTo(to),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no email to ${to} within 30 s`)), 30_000)),
  ]);
}

/** The token of the one-time link in an email's text. */
function tokenIn(email: AcceptedEmail): string {
  const match = /\/invite\/([\w-]+)/.exec(email.body.text ?? '');
  expect(match, 'the email carries a link').not.toBeNull();
  return match![1]!;
}

async function account(): Promise<ServerAccount> {
  return signUpOnServer('Ada <Lovelace>', {}, emailing.server.origin);
}

describe('POST /api/auth/password-reset', () => {
  it('answers 202 with the same body whether or not an account uses the email', async () => {
    const { email } = await account();
    const known = await askForReset(email);
    const unknown = await askForReset(uniqueEmail('nobody'));
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.headers.get('cache-control')).toBe('no-store');
    const [knownBody, unknownBody] = [await known.text(), await unknown.text()];
    expect(knownBody).toBe(unknownBody);
    expect(JSON.parse(knownBody)).toEqual({ message: expect.stringContaining('If an account uses this email') });
  });

  it('makes the same two database round trips whether or not an account uses the email', async () => {
    const { email } = await account();
    const known = await countServerRoundTrips(() => askForReset(email));
    const unknown = await countServerRoundTrips(() => askForReset(uniqueEmail('nobody')));
    expect(known.result.status).toBe(202);
    expect(unknown.result.status).toBe(202);
    expect(known.roundTrips).toBe(2);
    expect(unknown.roundTrips).toBe(2);
  });

  it('answers before the email is sent', async () => {
    const { email } = await account();
    const release = emailing.standIn.hold();
    try {
      expect((await askForReset(email)).status).toBe(202);
      expect(emailing.standIn.accepted.some(({ body }) => body.to === email)).toBe(false);
    } finally {
      release();
    }
    await emailTo(email);
  });

  it('emails a reset link, which sets a new password through POST /api/auth/invitation and signs out every session', async () => {
    const person = await account();
    expect((await askForReset(person.email)).status).toBe(202);
    const email = await emailTo(person.email);
    expect(emailing.standIn.refused).toEqual([]);
    expect(email.headers.authorization).toBe(`Bearer ${STAND_IN_API_KEY}`);
    expect(email.body).toMatchObject({
      from: STAND_IN_SENDER,
      subject: 'Reset your password for Users',
    });
    expect(email.body.text).toContain('Hello Ada <Lovelace>,');
    expect(email.body.html).toContain('Hello Ada &lt;Lovelace&gt;,');
    expect(email.body.text).toContain(`${emailing.server.origin}/invite/`);
    const token = tokenIn(email);

    const page = await fetch(new URL(`/invite/${token}`, emailing.server.origin), {
      signal: AbortSignal.timeout(20_000),
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Ada &lt;Lovelace&gt;');

    const newPassword = `new-${crypto.randomUUID()}`;
    const accepted = await call('/api/auth/invitation', { json: { token, password: newPassword } });
    expect(accepted.status).toBe(200);
    const renewed = await call('/api/auth/refresh', { json: { refreshToken: person.refreshToken } });
    expect(renewed.status).toBe(401);
    expect((await call('/api/auth/login', { json: { email: person.email, password: newPassword } })).status).toBe(200);
    expect((await call('/api/auth/invitation', { json: { token, password: newPassword } })).status).toBe(410);
  });

  it(`refuses a request for one email beyond ${MAX_PER_EMAIL} in the window with 429, known or not, from any address`, async () => {
    for (const email of [(await account()).email, uniqueEmail('nobody')]) {
      for (let i = 0; i < MAX_PER_EMAIL; i++) expect((await askForReset(email)).status).toBe(202);
      const refused = await askForReset(email);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({
        code: 'rate_limited',
        detail: expect.stringContaining('this email'),
      });
    }
  });

  it(`refuses a request from one address beyond ${MAX_PER_ADDRESS} in the window with 429`, async () => {
    const address = newAddress();
    for (let i = 0; i < MAX_PER_ADDRESS; i++)
      expect((await askForReset(uniqueEmail('nobody'), address)).status).toBe(202);
    const refused = await askForReset(uniqueEmail('nobody'), address);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      code: 'rate_limited',
      detail: expect.stringContaining('this address'),
    });
  });

  it('logs a failed send under the request id, and no log line of the server carries a link', async () => {
    const { email } = await account();
    const requestId = `iad1::${crypto.randomUUID()}`;
    emailing.standIn.fail(503);
    try {
      const answer = await call('/api/auth/password-reset', { json: { email }, headers: { 'x-vercel-id': requestId } });
      expect(answer.status).toBe(202);
      await expect
        .poll(emailing.logs, { timeout: 30_000 })
        .toContain(`[${requestId}] POST /api/auth/password-reset: emailing the link failed`);
    } finally {
      emailing.standIn.fail(undefined);
    }
    expect(emailing.logs()).toContain('Resend answered 503');
    expect(emailing.logs()).not.toMatch(/\/invite\/[\w-]{20,}/);
  });

  it('refuses what is not an email with 400, saying so', async () => {
    const refused = await call('/api/auth/password-reset', { json: { email: 'not an email' } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'email' }] });
  });
});

describe('links an admin issues', () => {
  async function admin(): Promise<ServerAccount> {
    const person = await account();
    await serverSql(`UPDATE users SET role = 'admin' WHERE id = $1`, [person.id]);
    const login = await call('/api/auth/login', { json: { email: person.email, password: person.password } });
    return { ...person, token: ((await login.json()) as { token: string }).token };
  }

  it('emails a new user their invitation', async () => {
    const { token } = await admin();
    const email = uniqueEmail('invited');
    const created = await call('/api/users', { json: { name: 'Grace Hopper', email }, token });
    expect(created.status).toBe(201);
    const { invitation } = (await created.json()) as { invitation: { url: string } };
    const sent = await emailTo(email);
    expect(sent.body.subject).toBe('Set your password for Users');
    expect(sent.body.text).toContain(invitation.url);
  });

  it('still hands the admin the link when Resend fails, logging the failure under the request id without the link', async () => {
    const { token } = await admin();
    const person = await account();
    // The platform's request id, as Vercel's edge sets it.
    const requestId = `iad1::${crypto.randomUUID()}`;
    emailing.standIn.fail(500);
    let issued: Response;
    try {
      issued = await call(`/api/users/${person.id}/invitation`, { token, headers: { 'x-vercel-id': requestId } });
    } finally {
      emailing.standIn.fail(undefined);
    }
    expect(issued.status).toBe(201);
    const { url, purpose } = (await issued.json()) as { url: string; purpose: string };
    expect(purpose).toBe('password_reset');
    const linkToken = url.split('/invite/')[1]!;
    await expect
      .poll(emailing.logs, { timeout: 30_000 })
      .toContain(`[${requestId}] POST /api/users/${person.id}/invitation: emailing the link failed`);
    expect(emailing.logs()).toContain('Resend answered 500');
    expect(emailing.logs()).not.toContain(linkToken);
    const accepted = await call('/api/auth/invitation', {
      json: { token: linkToken, password: `pw-${crypto.randomUUID()}` },
    });
    expect(accepted.status).toBe(200);
  });
});

describe('the development mailbox', () => {
  it('is a 404 in production, page and receiver, to anyone', async () => {
    const page = await fetch(new URL('/dev/mailbox', emailing.server.origin), { signal: AbortSignal.timeout(20_000) });
    expect(page.status).toBe(404);
    const receiver = await call('/dev/mailbox/emails', { json: { to: 'ada@example.com' } });
    expect(receiver.status).toBe(404);
  });
});
