// /account's sessions: listed with their device, signed out one at a time or everywhere, by the API's own functions.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';
import { describeDevice } from '@/src/auth/device-name.ts';
import { listSessions, startSession } from '@/src/auth/sessions.ts';
import { db } from '@/src/db/client.ts';
import { signedInUser, type SignedInUser } from '@/test/support/in-process/identities.ts';
import { request } from '@/test/support/requests.ts';
import { POST as logIn } from '@/app/api/auth/login/route.ts';
import { POST as register } from '@/app/api/auth/register/route.ts';

let incoming = new Headers();
const cookiesSet: string[] = [];
vi.mock('next/headers', () => ({
  headers: async () => incoming,
  cookies: async () => ({
    set: (name: string) => cookiesSet.push(name),
    delete: (name: string) => cookiesSet.push(name),
  }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw new Error(`redirected to ${to}`);
  },
}));

const { signOutEverywhereAction, signOutSessionAction } = await import('@/app/account/sessions-actions.ts');

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

const live = (userId: number) => db().session.count({ where: { userId, revokedAt: null } });
const empty = { values: {}, fieldErrors: {} };

describe('/account sessions', () => {
  let user: SignedInUser;
  let phone: string;

  beforeEach(async () => {
    user = await signedInUser('user');
    incoming = new Headers({ authorization: `Bearer ${user.token}` });
    phone = (await startSession(user, { userAgent: IPHONE })).sessionId;
  });

  it('records the User-Agent a session signed in with, and lists it with this one marked', async () => {
    const sessions = await listSessions({ id: user.id, role: 'user', sessionId: user.sessionId });
    expect(sessions.map(({ id, userAgent, current }) => ({ id, userAgent, current }))).toEqual([
      { id: phone, userAgent: IPHONE, current: false },
      { id: user.sessionId, userAgent: null, current: true },
    ]);
  });

  it('keeps the User-Agent of a sign-in through the API, shortened to 256 characters', async () => {
    const body = { name: 'Ua', email: `ua-${crypto.randomUUID()}@example.com`, password: 'correct horse battery' };
    await register(request('POST', '/api/auth/register', { body, headers: { 'user-agent': FIREFOX } }));
    const response = await logIn(
      request('POST', '/api/auth/login', {
        body: { email: body.email, password: body.password },
        headers: { 'user-agent': `x${'y'.repeat(400)}` },
      }),
    );
    expect(response.status).toBe(200);
    const rows = await db().session.findMany({ where: { user: { email: body.email } }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((row) => row.userAgent?.length)).toEqual([FIREFOX.length, 256]);
  });

  it('signs out another session, and says so', async () => {
    const state = await signOutSessionAction(empty, formWith({ id: phone }));
    expect(state.message).toBe('Signed out that session.');
    expect(await live(user.id)).toBe(1);
  });

  it("refuses to sign out someone else's session, leaving it live", async () => {
    const stranger = await signedInUser('user');
    const state = await signOutSessionAction(empty, formWith({ id: stranger.sessionId }));
    expect(state.formError).toBe('No such live session of yours.');
    expect(await live(stranger.id)).toBe(1);
  });

  it('refuses an id that is not a session id', async () => {
    expect((await signOutSessionAction(empty, formWith({ id: 'abc' }))).formError).toBe(
      'A session id is a lower-case UUID.',
    );
  });

  it('signs out everywhere, this session too, clears the cookies and goes to /login', async () => {
    cookiesSet.length = 0;
    await expect(signOutEverywhereAction()).rejects.toThrow('redirected to /login');
    expect(await live(user.id)).toBe(0);
    expect(cookiesSet.length).toBeGreaterThan(0);
  });
});

describe('describeDevice', () => {
  it.each([
    [FIREFOX, 'Firefox on Linux'],
    [IPHONE, 'Safari on iOS'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome on macOS',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      'Chrome on Linux',
    ],
    ['curl/8.5.0', 'curl'],
    ['npm run token', 'npm run token'],
    ['SomeBot/1.0 (+https://example.com)', 'SomeBot'],
    [null, 'Unknown device'],
  ])('names %s as %s', (userAgent, device) => {
    expect(describeDevice(userAgent)).toBe(device);
  });
});

function formWith(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}
