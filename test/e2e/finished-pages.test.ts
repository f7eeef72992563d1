// The pages' finish in headless Chromium, at a desktop and a phone size: validation messages in the forms,
// not-found, the favicon, /docs without sideways scrolling, deleting with a confirmation, and /users in an outage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUsers, findUserByEmail } from '@/test/support/over-http/accounts.ts';
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
import { freePort } from '@/test/support/processes.ts';
import { serverToken } from '@/test/support/over-http/server-settings.ts';

describe.runIf(browserAvailable())('in Chromium', () => {
  const chromium = useChromium();

  describe.each(VIEWPORTS)('at $label size ($viewport.width × $viewport.height)', ({ label, viewport }) => {
    const newPage = (origin = baseUrl) => chromium.newPage({ viewport, origin });

    describe('the add-user form', () => {
      /** Submits the form after `tamper` has changed it as a hand-made request could, and reads a field's error. */
      async function fieldError(page: Page, field: string, tamper: (form: HTMLFormElement) => void) {
        await page.getByLabel('Name').fill('Nobody');
        await page.getByLabel('Email').fill('nobody@example.com');
        await page.locator('form.add-user').evaluate(tamper);
        await page.getByRole('button', { name: 'Add user' }).click();
        const input = page.locator(`form.add-user [name="${field}"]`);
        await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
        const describedBy = await input.getAttribute('aria-describedby');
        return page.locator(`[id="${describedBy}"]`).textContent();
      }

      it('says "Required" for a blank field and "Must be one of: user, admin" for an unknown role', async () => {
        const page = await newPage();
        await signIn(page, baseUrl, chromium.admin);
        expect(
          await fieldError(page, 'name', (form) => {
            (form.elements.namedItem('name') as HTMLInputElement).value = '';
          }),
        ).toBe('Required');
        expect(
          await fieldError(page, 'role', (form) => {
            const role = form.elements.namedItem('role') as HTMLSelectElement;
            role.options[0]!.value = 'superuser';
            role.selectedIndex = 0;
          }),
        ).toBe('Must be one of: user, admin');
        await screenshot(page, `form-messages-${label}`);
      });
    });

    describe('not found', () => {
      it('answers an unknown page with a styled 404 and a way back to the users when signed in', async () => {
        const page = await newPage();
        await signIn(page, baseUrl, chromium.member);
        const response = await page.goto('/no-such-page');
        expect(response?.status()).toBe(404);
        await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
        expect(await sidewaysOverflow(page)).toBe(0);
        await screenshot(page, `not-found-${label}`);
        await page.getByRole('link', { name: 'Back to the users' }).click();
        await page.waitForURL((url) => url.pathname === '/users');
        expect((await page.goto('/users/no-such-page'))?.status()).toBe(404);
        await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      });

      it('offers signing in when signed out', async () => {
        const page = await newPage();
        // Unknown pages send a signed-out visitor to sign in first; paths outside the gate show the page directly.
        const response = await page.goto('/robots.txt');
        expect(response?.status()).toBe(404);
        await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
        await page.getByRole('link', { name: 'Sign in' }).click();
        await page.waitForURL((url) => url.pathname === '/login');
        const unknown = await page.goto('/no-such-page');
        expect(new URL(unknown!.url()).pathname).toBe('/login');
      });

      it('keeps unknown API paths as problem+json', async () => {
        const page = await newPage();
        await signIn(page, baseUrl, chromium.member);
        const response = await page.request.get('/api/no-such-endpoint');
        expect(response.status()).toBe(404);
        expect(response.headers()['content-type']).toBe('application/problem+json');
      });
    });

    it('serves a favicon that every page links to', async () => {
      const page = await newPage();
      const response = await page.request.get('/favicon.ico');
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe('image/x-icon');
      expect((await response.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
      const failed: string[] = [];
      page.on('response', (answer) => {
        if (answer.status() >= 400) failed.push(`${answer.status()} ${answer.url()}`);
      });
      await page.goto('/login');
      const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
      expect(href).toMatch(/^\/favicon\.ico/);
      expect((await page.request.get(href!)).status()).toBe(200);
      expect(failed).toEqual([]);
    });

    it('fits /docs in the window without sideways scrolling', async () => {
      const page = await newPage();
      await page.goto('/docs');
      await page.getByRole('heading', { level: 2, name: 'Operations' }).waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, `docs-${label}`, { fullPage: false });
      await page.locator('#listUsers').scrollIntoViewIfNeeded();
      await screenshot(page, `docs-operation-${label}`, { fullPage: false });
    });

    describe('deleting a user', () => {
      it('asks first, does nothing on Cancel, then deletes and says so', async () => {
        const [doomed] = await createUsers(1, `Doomed ${label}`);
        const page = await newPage();
        await signIn(page, baseUrl, chromium.admin);
        expect(await sidewaysOverflow(page)).toBe(0);
        await page.goto(`/users?cursor=${doomed!.id - 1}`);
        const row = page.getByRole('row').filter({ hasText: doomed!.email });
        await row.getByRole('button', { name: `Delete ${doomed!.name}` }).click();
        const dialog = page.getByRole('dialog', { name: `Delete ${doomed!.name}?` });
        await dialog.waitFor();
        expect(await dialog.textContent()).toContain(doomed!.email);
        await screenshot(page, `delete-confirm-${label}`, { fullPage: false });

        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'hidden' });
        expect(await findUserByEmail(doomed!.email)).toBeDefined();

        await row.getByRole('button', { name: `Delete ${doomed!.name}` }).click();
        await dialog.getByRole('button', { name: 'Delete user' }).click();
        const status = page.getByRole('status').filter({ hasText: 'Deleted' });
        await status.waitFor();
        expect(await status.textContent()).toBe(`Deleted ${doomed!.name} (${doomed!.email}).`);
        await row.waitFor({ state: 'detached' });
        expect(await findUserByEmail(doomed!.email)).toBeUndefined();
        await screenshot(page, `delete-done-${label}`, { fullPage: false });
      });
    });

    describe('/users while the database is down', () => {
      let outage: StandaloneServer | undefined;

      beforeAll(async () => {
        // The same build on a database endpoint nobody answers at.
        const deadPort = await freePort();
        outage = await startStandaloneServer({
          databaseUrl: `postgresql://local:local@127.0.0.1:${deadPort}/local`,
          fetchEndpoint: `http://127.0.0.1:${deadPort}/sql`,
        });
      });

      afterAll(() => outage?.stop());

      it('answers 503 with Retry-After, says why, and still offers sign-out', async () => {
        const page = await newPage(outage!.origin);
        const token = await serverToken({ id: chromium.member.id, role: 'user' });
        await page.context().addCookies([{ name: 'token', value: token, url: outage!.origin }]);
        const response = await page.goto('/users?limit=5');
        expect(response?.status()).toBe(503);
        expect(response?.headers()['retry-after']).toMatch(/^[0-9]+$/);
        // Next.js cannot give a page a 503 itself: /users sends the person to the notice, which answers 503.
        expect(response?.request().redirectedFrom()?.url()).toBe(`${outage!.origin}/users?limit=5`);
        await page.getByRole('heading', { level: 1, name: 'Temporarily unavailable' }).waitFor();
        expect(await page.getByRole('main').getByRole('alert').textContent()).toMatch(/database cannot be reached/);
        expect(await page.getByRole('link', { name: 'Try again' }).getAttribute('href')).toBe('/users?limit=5');
        expect(await sidewaysOverflow(page)).toBe(0);
        await screenshot(page, `users-unavailable-${label}`);

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL((url) => url.pathname === '/login');
        expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('token');
      });
    });
  });
});
