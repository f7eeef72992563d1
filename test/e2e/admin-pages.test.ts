// /users as the admin's whole tool and /account's sessions, in headless Chromium at a desktop and a phone size:
// searching, each user's sign-in state, editing in place, the list without sideways scrolling, and signing sessions
// out one at a time or everywhere.
import { describe, expect, it } from 'vitest';
import { createUsers, findUserByEmail, registerAccount } from '@/test/support/over-http/accounts.ts';
import {
  browserAvailable,
  screenshot,
  sidewaysOverflow,
  signIn,
  useChromium,
  VIEWPORTS,
} from '@/test/support/over-http/browser.ts';
import { api, baseUrl } from '@/test/support/over-http/http.ts';
import { sharedAdmin } from '@/test/support/over-http/server-admin.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

describe.runIf(browserAvailable())('in Chromium', () => {
  const chromium = useChromium();

  describe.each(VIEWPORTS)('at $label size ($viewport.width × $viewport.height)', ({ label, viewport }) => {
    const newPage = () => chromium.newPage({ viewport });

    describe('/users', () => {
      it("finds users by part of a name or email, in any case, showing each one's sign-in state", async () => {
        const word = `Zq${crypto.randomUUID().slice(0, 8)}`;
        const [invited, other] = await createUsers(2, `${word} Person`);
        await createUsers(1, 'Unrelated');
        const page = await newPage();
        await signIn(page, baseUrl, chromium.admin);
        await page.getByLabel('Search users').fill(word.toLowerCase());
        await page.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL((url) => url.searchParams.get('q') === word.toLowerCase());
        const rows = page.locator('tbody tr');
        await expect.poll(() => rows.count()).toBe(2);
        expect(await rows.allTextContents()).toEqual([
          expect.stringContaining(invited!.email),
          expect.stringContaining(other!.email),
        ]);
        expect(await rows.first().textContent()).toMatch(/Invited ?link until \d{4}-\d{2}-\d{2}/);
        expect(await page.getByRole('caption').textContent()).toBe(`Users matching “${word.toLowerCase()}”`);
        expect(await sidewaysOverflow(page)).toBe(0);
        await screenshot(page, `users-search-${label}`);

        await page.getByLabel('Search users').fill(chromium.admin.email.toUpperCase());
        await page.getByRole('button', { name: 'Search' }).click();
        const adminRow = page.getByRole('row').filter({ hasText: chromium.admin.email });
        await adminRow.waitFor();
        expect(await adminRow.textContent()).toContain('Active');
        await page.getByRole('link', { name: 'Clear' }).click();
        await page.waitForURL((url) => url.pathname === '/users' && url.search === '');
      });

      it('edits a name, email and role in place, saying why a taken email is refused', async () => {
        const [user] = await createUsers(1, `Editable ${label}`);
        const page = await newPage();
        await signIn(page, baseUrl, chromium.admin);
        await page.goto(`/users?q=${encodeURIComponent(user!.email)}`);
        await page.getByRole('button', { name: `Edit ${user!.name}` }).click();
        const form = page.getByRole('form', { name: `Edit ${user!.name}` });
        await form.getByLabel('Email').fill(chromium.member.email);
        await form.getByRole('button', { name: 'Save' }).click();
        const email = form.getByLabel('Email');
        await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
        const describedBy = await email.getAttribute('aria-describedby');
        expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(
          'A user with this email already exists.',
        );
        expect(await sidewaysOverflow(page)).toBe(0);
        await screenshot(page, `users-edit-error-${label}`);

        const newEmail = uniqueEmail('edited');
        await form.getByLabel('Name').fill(`Renamed ${label}`);
        await email.fill(newEmail);
        await form.getByLabel('Role').selectOption('admin');
        await form.getByRole('button', { name: 'Save' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `Saved Renamed ${label}.` })
          .waitFor();
        await form.waitFor({ state: 'detached' });
        expect(await findUserByEmail(newEmail)).toMatchObject({
          id: user!.id,
          name: `Renamed ${label}`,
          role: 'admin',
        });
      });

      it('offers no role to change on the admin’s own row', async () => {
        const page = await newPage();
        await signIn(page, baseUrl, chromium.admin);
        await page.goto(`/users?q=${encodeURIComponent(chromium.admin.email)}`);
        await page.getByRole('button', { name: `Edit ${chromium.admin.name}` }).click();
        const form = page.getByRole('form', { name: `Edit ${chromium.admin.name}` });
        await form.getByLabel('Name').waitFor();
        expect(await form.getByLabel('Role').count()).toBe(0);
        await form.getByRole('button', { name: 'Cancel' }).click();
        await form.waitFor({ state: 'detached' });
      });

      it('lays a page of users out without sideways scrolling, long names and emails included', async () => {
        const long = `a-very-long-address-${crypto.randomUUID()}@subdomain.example.com`;
        // The longest name the API takes, with nowhere to break a line.
        const name = `Longest-Email-Holder-${'x'.repeat(79)}`;
        const response = await api('/api/users', {
          method: 'POST',
          json: { name, email: long },
          headers: { authorization: `Bearer ${(await sharedAdmin()).token}` },
        });
        expect(response.status).toBe(201);
        const page = await newPage();
        await signIn(page, baseUrl, chromium.admin);
        await page.goto(`/users?q=${encodeURIComponent(name)}`);
        await page.getByRole('row').filter({ hasText: long }).waitFor();
        expect(await sidewaysOverflow(page)).toBe(0);
        const scroller = page.locator('.table-scroll');
        expect(await scroller.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
        await page.goto('/users');
        await page.locator('tbody tr').first().waitFor();
        expect(await scroller.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
        await screenshot(page, `users-list-${label}`);
      });
    });

    describe('/account', () => {
      it('lists your sessions, this one marked, signs another out, then every one', async () => {
        const account = await registerAccount(`Sessions ${label}`);
        const signInWith = async (userAgent: string) => {
          const response = await api('/api/auth/login', {
            method: 'POST',
            json: { email: account.email, password: account.password },
            headers: { 'user-agent': userAgent },
          });
          expect(response.status).toBe(200);
          return ((await response.json()) as { refreshToken: string }).refreshToken;
        };
        await signInWith('curl/8.5.0');
        const wget = await signInWith('Wget/1.21.4');
        const page = await newPage();
        await signIn(page, baseUrl, account);
        await page.goto('/account');
        const sessions = page.getByRole('region', { name: 'Where you are signed in' });
        const items = sessions.getByRole('listitem');
        // Signing up started one too, with Node's fetch.
        await expect.poll(() => items.count()).toBe(4);
        const current = items.filter({ hasText: 'This browser' });
        expect(await current.textContent()).toMatch(/^Chrome on LinuxThis browserLast used .* UTC · signed in .* UTC/);
        expect(await sidewaysOverflow(page)).toBe(0);
        await screenshot(page, `account-sessions-${label}`);

        await sessions.getByRole('button', { name: 'Sign out curl' }).click();
        await expect.poll(() => items.count()).toBe(3);
        expect(await sessions.textContent()).not.toContain('curl');

        await sessions.getByRole('button', { name: 'Sign out everywhere' }).click();
        await page.waitForURL((url) => url.pathname === '/login');
        const renewed = await api('/api/auth/refresh', { method: 'POST', json: { refreshToken: wget } });
        expect(renewed.status).toBe(401);
      });
    });
  });
});
