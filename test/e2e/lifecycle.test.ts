// A user's whole life in headless Chromium, at a desktop and a phone size: signing up; an admin inviting a person,
// who sets a password from the link and is signed in, signs out and in again, changes the password and signs out;
// and an admin-issued password reset.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { findUserByEmail, registerAccount } from '@/test/support/over-http/accounts.ts';
import {
  browserAvailable,
  screenshot,
  sidewaysOverflow,
  signIn,
  useChromium,
  VIEWPORTS,
} from '@/test/support/over-http/browser.ts';
import { baseUrl } from '@/test/support/over-http/http.ts';
import { startStandaloneServer, type StandaloneServer } from '@/test/support/over-http/standalone-server.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

describe.runIf(browserAvailable())('in Chromium', () => {
  const chromium = useChromium();

  describe.each(VIEWPORTS)('at $label size ($viewport.width × $viewport.height)', ({ label, viewport }) => {
    const newPage = () => chromium.newPage({ viewport, clipboard: true });

    const pathOf = (page: Page) => new URL(page.url()).pathname;

    async function signInAs(page: Page, email: string, password: string) {
      await page.goto('/login');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }

    async function signOut(page: Page) {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.pathname === '/login');
      expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('token');
    }

    it('an admin invites a person, who sets a password, signs out and in, changes it and signs out', async () => {
      const name = `Katherine Johnson ${label}`;
      const email = uniqueEmail('invited');

      // The admin adds the person and gets the link to pass on.
      const adminPage = await newPage();
      await signIn(adminPage, baseUrl, chromium.admin);
      await adminPage.getByLabel('Name').fill(name);
      await adminPage.getByLabel('Email').fill(email);
      await adminPage.getByRole('button', { name: 'Add user' }).click();
      await adminPage.getByText(`Added ${name}.`).waitFor();
      const linkField = adminPage.getByLabel(`Invitation link for ${name}`);
      const link = await linkField.inputValue();
      expect(link).toMatch(new RegExp(`^${baseUrl}/invite/[A-Za-z0-9_-]{43}$`));
      await adminPage.getByRole('button', { name: 'Copy' }).click();
      await adminPage.getByText(/^(Copied\.|Selected: copy it)/).waitFor();
      expect(await sidewaysOverflow(adminPage)).toBe(0);
      await screenshot(adminPage, `invite-issued-${label}`, { fullPage: false });

      // The person opens it: whom it is for, the password rule, and a field error for a short one.
      const page = await newPage();
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: `Welcome, ${name}` }).waitFor();
      expect(await page.getByRole('main').textContent()).toContain(email);
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.getByText('Must be at least 8 characters').waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, `invite-open-${label}`);
      const password = `first-${crypto.randomUUID()}`;
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.waitForURL((url) => url.pathname === '/users');
      expect(await page.getByRole('banner').textContent()).toContain(`Signed in as ${name}`);

      // Signs out; the link is spent; signs in with the password set.
      await signOut(page);
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'This link cannot be used' }).waitFor();
      expect(await page.getByRole('main').getByRole('alert').textContent()).toBe(
        'This link has already been used. Sign in with your password, or ask an admin for a new link.',
      );
      await screenshot(page, `invite-used-${label}`);
      await signInAs(page, email, password);
      await page.waitForURL((url) => url.pathname === '/users');

      // Changes the password on the account page: a wrong current one is said beside its field.
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.waitForURL((url) => url.pathname === '/account');
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      const newPassword = `second-${crypto.randomUUID()}`;
      await page.getByLabel('Current password').fill('not the password');
      await page.getByLabel('New password').fill(newPassword);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('The current password is wrong.').waitFor();
      expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Current password').fill(password);
      await page.getByLabel('New password').fill(newPassword);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page
        .getByText('Your password has been changed. Every other session of yours has been signed out.')
        .waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, `account-changed-${label}`);
      // Still signed in, on the new session the change started.
      await page.getByRole('link', { name: 'Users' }).click();
      await page.waitForURL((url) => url.pathname === '/users');

      // Signs out; the old password no longer works, the new one does.
      await signOut(page);
      await signInAs(page, email, password);
      await page.getByText('Wrong email or password.').waitFor();
      await signInAs(page, email, newPassword);
      await page.waitForURL((url) => url.pathname === '/users');
      await signOut(page);
    });

    it('an admin issues a password reset, which sets a new password and signs the person out elsewhere', async () => {
      const member = await registerAccount(`Forgetful ${label}`);
      const elsewhere = await newPage();
      await signIn(elsewhere, baseUrl, member);

      const adminPage = await newPage();
      await signIn(adminPage, baseUrl, chromium.admin);
      await adminPage.goto(`/users?cursor=${member.id - 1}`);
      const row = adminPage.getByRole('row').filter({ hasText: member.email });
      await row.getByRole('button', { name: `Sign-in link for ${member.name}` }).click();
      const dialog = adminPage.getByRole('dialog', { name: `Sign-in link for ${member.name}` });
      await dialog.getByRole('button', { name: 'Issue link' }).click();
      const link = await dialog.getByLabel(`Password-reset link for ${member.name}`).inputValue();
      expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
      await screenshot(adminPage, `reset-issued-${label}`, { fullPage: false });
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const page = await newPage();
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
      await screenshot(page, `reset-open-${label}`);
      const password = `reset-${crypto.randomUUID()}`;
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Set password and sign in' }).click();
      await page.waitForURL((url) => url.pathname === '/users');

      // The other browser's session was revoked: its refresh token no longer renews it.
      const refresh = (await elsewhere.context().cookies()).find((cookie) => cookie.name === 'refresh')!.value;
      expect((await elsewhere.request.post('/api/auth/refresh', { data: { refreshToken: refresh } })).status()).toBe(
        401,
      );
      await signOut(page);
      await signInAs(page, member.email, member.password);
      await page.getByText('Wrong email or password.').waitFor();
    });

    it('signs a person up from the link on /login, and says when the email is taken', async () => {
      const page = await newPage();
      await page.goto('/login');
      await page.getByRole('link', { name: 'Create one' }).click();
      await page.waitForURL((url) => url.pathname === '/signup');
      const email = uniqueEmail('signup');
      await page.getByLabel('Name').fill(`Mary Jackson ${label}`);
      await page.getByLabel('Email').fill(chromium.admin.email);
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('A user with this email already exists.').waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, `signup-taken-${label}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL((url) => url.pathname === '/users');
      expect(await page.getByRole('banner').textContent()).toContain(`Signed in as Mary Jackson ${label}`);
      expect(await findUserByEmail(email)).toMatchObject({ role: 'user' });
      await page.goto('/signup');
      expect(pathOf(page)).toBe('/users');
    });
  });

  describe('with registration closed (REGISTRATION_ENABLED=false)', () => {
    let closed: StandaloneServer | undefined;

    beforeAll(async () => {
      // The same build and database, with sign-up switched off.
      closed = await startStandaloneServer({
        databaseUrl: inject('localDbUrl'),
        fetchEndpoint: inject('localDbEndpoint'),
        extra: { REGISTRATION_ENABLED: 'false' },
      });
    });

    afterAll(() => closed?.stop());

    it('answers /signup with 404 and shows no sign-up link on /login', async () => {
      const page = await chromium.newPage({ origin: closed!.origin });
      expect((await page.goto('/signup'))?.status()).toBe(404);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      await page.goto('/login');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await page.getByRole('link', { name: 'Create one' }).count()).toBe(0);
    });
  });
});
