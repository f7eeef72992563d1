// /forgot in headless Chromium, at a desktop's and a phone's width, on a server that emails through a Resend
// stand-in: from the sign-in page to the email, and from its link to a new password.
import { describe, expect, it } from 'vitest';
import {
  browserAvailable,
  screenshot,
  sidewaysOverflow,
  useChromium,
  VIEWPORTS,
} from '@/test/support/over-http/browser.ts';
import { withEmailingServer } from '@/test/support/over-http/emailing-server.ts';
import { signUpOnServer } from '@/test/support/over-http/server-admin.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

describe.runIf(browserAvailable())('in Chromium', () => {
  const chromium = useChromium();
  const emailing = withEmailingServer();

  describe.each(VIEWPORTS)('at $label size ($viewport.width × $viewport.height)', ({ label, viewport }) => {
    const newPage = () => chromium.newPage({ viewport, origin: emailing.server.origin });

    it('leads from /login to /forgot, emails a link, and the link sets a new password', async () => {
      const person = await signUpOnServer('Ada Lovelace', {}, emailing.server.origin);
      const page = await newPage();
      await page.goto('/login');
      await screenshot(page, `login-${label}`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.waitForURL((url) => url.pathname === '/forgot');
      await page.getByRole('heading', { level: 1, name: 'Forgot your password?' }).waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, `forgot-${label}`);

      await page.getByLabel('Email').fill(person.email);
      await page.getByRole('button', { name: 'Email me a link' }).click();
      const message = page.getByText('If an account uses this email');
      await message.waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      await screenshot(page, `forgot-sent-${label}`);

      const email = await emailing.standIn.emailTo(person.email);
      const url = /https?:\/\/\S+\/invite\/[\w-]+/.exec(email.body.text ?? '')![0];
      await page.goto(url);
      await page.getByLabel('New password').fill(`new-${crypto.randomUUID()}`);
      await page
        .getByRole('button')
        .filter({ hasText: /password/i })
        .click();
      await page.waitForURL((next) => next.pathname === '/users');
    });

    it('says the same for an email no account uses', async () => {
      const page = await newPage();
      await page.goto('/forgot');
      await page.getByLabel('Email').fill(uniqueEmail('nobody'));
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await page.getByText('If an account uses this email').waitFor();
    });

    it('puts the error beside the field for what is not an email', async () => {
      const page = await newPage();
      await page.goto('/forgot');
      await page.getByLabel('Email').fill('not-an-email');
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await page.getByText('Must be an email address').waitFor();
      expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Email').inputValue()).toBe('not-an-email');
      await screenshot(page, `forgot-invalid-${label}`);
    });
  });
});
