/**
 * Real headless Chromium for the console tests: Debian's `chromium` (/usr/bin/chromium, or KMSLITE_CHROMIUM)
 * driven by playwright-core, which downloads no browser. One browser per test file; one page per test, with
 * guards that fail the test on a page error, a console error, or any request that leaves kmslite's origin.
 *
 * Without Chromium the tests are skipped with one message; .ci/run installs it with apt first.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KMSLITE_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);

/** describe, or describe.skip with the reason printed once when there is no Chromium. */
export function describeInBrowser(name: string, body: () => void): void {
  if (HAVE_CHROMIUM) {
    describe(name, body);
    return;
  }
  console.warn(`console browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium: apt-get install -y --no-install-recommends chromium; or set KMSLITE_CHROMIUM)`);
  describe.skip(name, body);
}

/** The flags this machine's Chromium needs headless as root, without reaching out to the network. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser with a new, empty profile directory (removed by close()); `extraArgs` are added to the flags. */
export async function launchBrowser(extraArgs: string[] = []): Promise<ConsoleBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'kmslite-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...FLAGS, ...extraArgs],
    viewport: { width: 1280, height: 720 },
  });
  return {
    browser: context.browser()!,
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface GuardedPage {
  page: Page;
  /** Page errors, console errors and requests to other origins seen so far. */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
  close(): Promise<void>;
}

/** A new page that records what must never happen; `expectNoProblems` checks it at the end of a test. */
export async function guardedPage(browser: ConsoleBrowser, origin: string): Promise<GuardedPage> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (new URL(url).origin !== origin) {
      problems.push(`request outside kmslite: ${url}`);
      return route.abort();
    }
    return route.continue();
  });
  return { page, problems, requests, close: () => page.close() };
}

/** Saves a screenshot into docs/console/ when KMSLITE_CONSOLE_SCREENSHOTS=1 (so CI never rewrites tracked files). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (process.env.KMSLITE_CONSOLE_SCREENSHOTS !== '1') return;
  const folder = join(process.cwd(), 'docs', 'console');
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage });
}
