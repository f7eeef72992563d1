// The sign-in and users pages in headless Chromium against the production build: what a person sees and
// does, and what a forged Server Action call cannot do.
import { describe, expect, it } from 'vitest';
import { request as apiRequest, type Page } from 'playwright-core';
import { createUsers, findUserByEmail, registerAccount, type Account } from '@/test/support/over-http/accounts.ts';
import { browserAvailable, screenshot, signIn, submitLogin, useChromium } from '@/test/support/over-http/browser.ts';
import { baseUrl } from '@/test/support/over-http/http.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

describe.runIf(browserAvailable())('in Chromium', () => {
  const chromium = useChromium();
  const newPage = (viewport?: { width: number; height: number }) => chromium.newPage({ viewport });

  const pathOf = (page: Page) => new URL(page.url()).pathname;

  /** The users table's row for this email. */
  const rowFor = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });

  /** The list from this account's row on: other suites sharing the server may have pushed it off the first page. */
  async function showRowOf(page: Page, account: Account) {
    await page.goto(`/users?cursor=${account.id - 1}`);
    await rowFor(page, account.email).waitFor();
  }

  describe('signed out', () => {
    it('sends /users to /login, remembering where it was going', async () => {
      const page = await newPage();
      await page.goto('/users?cursor=1');
      const url = new URL(page.url());
      expect(url.pathname).toBe('/login');
      expect(url.searchParams.get('next')).toBe('/users?cursor=1');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    });

    it('sends / to /login', async () => {
      const page = await newPage();
      await page.goto('/');
      expect(pathOf(page)).toBe('/login');
    });
  });

  describe('/login', () => {
    it('shows "Wrong email or password." for a wrong password, keeps the email and clears the password', async () => {
      const page = await newPage();
      await submitLogin(page, baseUrl, { email: chromium.member.email, password: 'not-the-password' });
      const alert = page.getByRole('main').getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('Wrong email or password.');
      expect(pathOf(page)).toBe('/login');
      expect(await page.getByLabel('Email').inputValue()).toBe(chromium.member.email);
      expect(await page.getByLabel('Password').inputValue()).toBe('');
      expect(await page.locator('form').getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
      expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('token');
      await screenshot(page, 'login-wrong-password');
    });

    it('shows a field error beside the email field for an invalid email', async () => {
      const page = await newPage();
      await submitLogin(page, baseUrl, { email: 'not-an-email', password: 'whatever-password' });
      const email = page.getByLabel('Email');
      await page.getByText('Must be an email address').waitFor();
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      const describedBy = await email.getAttribute('aria-describedby');
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('Must be an email address');
      expect(await email.inputValue()).toBe('not-an-email');
    });

    it('signs in with the right password, sets the session cookie and shows the list with the user’s name', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.member);
      expect(await page.getByRole('banner').textContent()).toContain(`Signed in as ${chromium.member.name}`);
      await showRowOf(page, chromium.member);
      const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'token');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
      expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(3000);
    });

    it('follows a same-site `next` after signing in', async () => {
      const page = await newPage();
      await submitLogin(page, baseUrl, chromium.member, '/login?next=%2Fusers%3Flimit%3D5');
      await page.waitForURL((url) => url.pathname === '/users');
      expect(new URL(page.url()).search).toBe('?limit=5');
    });

    it.each(['//evil.example', '/\\evil.example', 'https://evil.example/users'])(
      'does not follow next=%s',
      async (next) => {
        const page = await newPage();
        await submitLogin(page, baseUrl, chromium.member, `/login?next=${encodeURIComponent(next)}`);
        await page.waitForURL((url) => url.pathname === '/users');
        expect(new URL(page.url()).origin).toBe(baseUrl);
      },
    );

    it('sends a signed-in visitor on to /users', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.member);
      await page.goto('/login');
      expect(pathOf(page)).toBe('/users');
      await page.goto('/');
      expect(pathOf(page)).toBe('/users');
    });

    it('shows the throttling message once an email has used up its failed sign-ins', async () => {
      const victim = await registerAccount('Throttled Person');
      const page = await newPage();
      await page.goto('/login');
      for (let attempt = 0; attempt <= 10; attempt++) {
        await page.getByLabel('Email').fill(victim.email);
        await page.getByLabel('Password').fill('wrong-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
      }
      await page.getByLabel('Password').fill(victim.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Too many sign-in attempts for this email; try again later.').waitFor();
      expect(pathOf(page)).toBe('/login');
    });
  });

  describe('/users as an admin', () => {
    it('adds a user, who then appears in the list', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.admin);
      const email = uniqueEmail('added');
      await page.getByLabel('Name').fill('Katherine Johnson');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Role').selectOption('user');
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByText('Added Katherine Johnson.').waitFor();
      await page.goto(`/users?cursor=${(await findUserByEmail(email))!.id - 1}`);
      await rowFor(page, email).waitFor();
      expect(await page.getByLabel('Name').inputValue()).toBe('');
    });

    it('shows a field error beside the email field, keeping what was typed', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.admin);
      await page.getByLabel('Name').fill('Nobody');
      await page.getByLabel('Email').fill('not-an-email');
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByText('Must be an email address').waitFor();
      const email = page.getByLabel('Email');
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      const describedBy = await email.getAttribute('aria-describedby');
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('Must be an email address');
      expect(await email.inputValue()).toBe('not-an-email');
      expect(await page.getByLabel('Name').inputValue()).toBe('Nobody');
      await screenshot(page, 'users-admin-field-error');
    });

    it('reports an email already taken beside the email field', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.admin);
      await page.getByLabel('Name').fill('Ada Again');
      await page.getByLabel('Email').fill(chromium.member.email);
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByText('A user with this email already exists.').waitFor();
    });

    it('deletes a user, who is then gone from the list and the API', async () => {
      const [doomed] = await createUsers(1, 'Doomed');
      const page = await newPage();
      await signIn(page, baseUrl, chromium.admin);
      await page.goto(`/users?cursor=${doomed!.id - 1}`);
      await rowFor(page, doomed!.email).waitFor();
      await page.getByRole('button', { name: `Delete ${doomed!.name}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete user' }).click();
      await rowFor(page, doomed!.email).waitFor({ state: 'detached' });
      expect(await findUserByEmail(doomed!.email)).toBeUndefined();
    });

    it('pages through the users with a "Next page" link', async () => {
      await createUsers(21, 'Page filler');
      const page = await newPage();
      await signIn(page, baseUrl, chromium.admin);
      const firstIds = await page.locator('tbody tr td:first-child').allTextContents();
      expect(firstIds).toHaveLength(20);
      await page.getByRole('link', { name: 'Next page' }).click();
      await page.waitForURL((url) => url.searchParams.get('cursor') === firstIds.at(-1));
      const nextIds = (await page.locator('tbody tr td:first-child').allTextContents()).map(Number);
      expect(nextIds.length).toBeGreaterThan(0);
      expect(Math.min(...nextIds)).toBeGreaterThan(Number(firstIds.at(-1)));
      await page.getByRole('link', { name: 'First page' }).waitFor();
    });

    it('looks right (screenshots, wide and phone-sized)', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.admin);
      await screenshot(page, 'users-admin');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'users-admin-phone', { fullPage: false });
    });
  });

  describe('/users as a non-admin', () => {
    it('shows no admin controls', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.member);
      await showRowOf(page, chromium.member);
      expect(await page.getByRole('heading', { name: 'Add a user' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
      expect(await page.locator('form input[name="email"]').count()).toBe(0);
    });

    it('refuses the admin’s create action replayed with the member’s cookie or none, and changes nothing', async () => {
      // Capture the admin's real create-user action call, and keep it from reaching the server.
      const adminPage = await newPage();
      await signIn(adminPage, baseUrl, chromium.admin);
      const email = uniqueEmail('forged');
      let captured: { headers: Record<string, string>; body: Buffer } | undefined;
      await adminPage.route('**/users', async (route) => {
        const request = route.request();
        if (request.method() !== 'POST' || !(await request.headerValue('next-action'))) return route.continue();
        const headers = await request.allHeaders();
        delete headers.cookie;
        captured = { headers, body: request.postDataBuffer()! };
        return route.abort();
      });
      await adminPage.getByLabel('Name').fill('Mallory');
      await adminPage.getByLabel('Email').fill(email);
      await adminPage.getByLabel('Role').selectOption('admin');
      await adminPage.getByRole('button', { name: 'Add user' }).click();
      await expect.poll(() => captured).toBeDefined();
      const { headers, body } = captured!;
      expect(headers['next-action']).toBeTruthy();
      const replay = { headers, data: body, maxRedirects: 0 };

      const memberPage = await newPage();
      await signIn(memberPage, baseUrl, chromium.member);
      const asMember = await memberPage.context().request.post('/users', replay);
      expect(await asMember.text()).toContain('Only an admin may add users.');
      expect(await findUserByEmail(email)).toBeUndefined();

      const anonymous = await apiRequest.newContext({ baseURL: baseUrl });
      const signedOut = await anonymous.post('/users', replay);
      expect(signedOut.status()).toBe(303);
      expect(signedOut.headers().location).toMatch(/\/login\?next=%2Fusers$/);
      await anonymous.dispose();
      expect(await findUserByEmail(email)).toBeUndefined();

      // The same bytes with the admin's cookie do create the user: the replay was a real action call.
      const asAdmin = await adminPage.context().request.post('/users', replay);
      expect(asAdmin.status()).toBe(200);
      expect(await findUserByEmail(email)).toMatchObject({ name: 'Mallory', role: 'admin' });
    });
  });

  describe('an expired access cookie', () => {
    it('is renewed without the user noticing: the page loads signed in, and a form still submits', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.admin);
      const context = page.context();
      const before = await context.cookies();
      // As the browser does once the access cookie's Max-Age has run out: only the refresh cookie remains.
      await context.clearCookies({ name: 'token' });
      await page.goto('/users');
      expect(pathOf(page)).toBe('/users');
      const after = await context.cookies();
      const value = (name: string, cookies: typeof after) => cookies.find((cookie) => cookie.name === name)?.value;
      expect(value('token', after)).toBeDefined();
      expect(value('refresh', after)).not.toBe(value('refresh', before));
      // And a Server Action posted after the next expiry goes through too.
      await context.clearCookies({ name: 'token' });
      const email = uniqueEmail('renewed');
      await page.getByLabel('Name').fill('Renewed Session');
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByText('Added Renewed Session.').waitFor();
      expect(await findUserByEmail(email)).toMatchObject({ name: 'Renewed Session' });
    });
  });

  describe('signing out', () => {
    it('clears the cookies, revokes the session, returns to /login, and /users redirects again', async () => {
      const page = await newPage();
      await signIn(page, baseUrl, chromium.member);
      const refresh = (await page.context().cookies()).find((cookie) => cookie.name === 'refresh')!.value;
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.pathname === '/login');
      expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('token');
      expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('refresh');
      const replay = await page.context().request.post('/api/auth/refresh', { data: { refreshToken: refresh } });
      expect(replay.status()).toBe(401);
      await page.goto('/users');
      expect(pathOf(page)).toBe('/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/users');
    });
  });
});
