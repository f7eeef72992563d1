// Headless Chromium for the end-to-end tests, and the steps every browser test repeats.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { registerAccount, registerAdmin, type Account } from './accounts.ts';
import { baseUrl } from './http.ts';

export const SCREENSHOT_DIR = 'test-results/screenshots';

/** The window sizes the page checks run at: a desktop and a phone. */
export const VIEWPORTS = [
  { label: 'desktop', viewport: { width: 1280, height: 800 } },
  { label: 'phone', viewport: { width: 390, height: 844 } },
];

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without Chromium the browser tests are skipped with a notice; in CI (which installs it) that is an error. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const notice = `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium package or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(notice);
  console.warn(`Skipping the browser tests. ${notice}`);
  return false;
}

/** Debian's Chromium; the background-networking flags keep it from failing on a closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Chromium and the two accounts every browser spec signs in as: an admin and a member. */
export async function openBrowserWithAccounts(): Promise<{ browser: Browser; admin: Account; member: Account }> {
  const [browser, admin, member] = await Promise.all([
    launchBrowser(),
    registerAdmin('Grace Hopper'),
    registerAccount('Ada Lovelace'),
  ]);
  return { browser, admin, member };
}

/** Closes every profile a spec opened, then the browser. */
export async function closeBrowser(browser: Browser | undefined, contexts: BrowserContext[]): Promise<void> {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
}

/**
 * Chromium for the tests of one file: opened before them, with an admin and a member to sign in as, and closed
 * after them with every profile they opened. Call it inside the file's `describe`.
 */
export function useChromium() {
  let opened: { browser: Browser; admin: Account; member: Account } | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    opened = await openBrowserWithAccounts();
  });
  afterAll(() => closeBrowser(opened?.browser, contexts));
  const ready = () => {
    if (!opened) throw new Error('Chromium opens before the tests: use it inside one.');
    return opened;
  };
  return {
    get admin(): Account {
      return ready().admin;
    },
    get member(): Account {
      return ready().member;
    },
    /** A fresh browser profile, with no cookies from any other test, on this server or another. */
    async newPage({
      viewport = { width: 1100, height: 800 },
      origin = baseUrl,
      clipboard = false,
    } = {}): Promise<Page> {
      const context = await ready().browser.newContext({ baseURL: origin, viewport });
      if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      contexts.push(context);
      return context.newPage();
    },
  };
}

/** How far the document is wider than the window: 0 when nothing scrolls sideways. */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Fills the sign-in form at /login (or wherever `path` leads) and submits it. */
export async function submitLogin(
  page: Page,
  baseUrl: string,
  { email, password }: Pick<Account, 'email' | 'password'>,
  path = '/login',
) {
  await page.goto(new URL(path, baseUrl).href);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in and waits for the users list. */
export async function signIn(page: Page, baseUrl: string, account: Account): Promise<void> {
  await submitLogin(page, baseUrl, account);
  await page.waitForURL((url) => url.pathname === '/users');
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
}
