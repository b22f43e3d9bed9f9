import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BASE_URL } from './env';

export { BASE_URL };
export const SHOTS = join(__dirname, '../../../artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

/**
 * Debian's Chromium, headless, with the flags this closed network needs. Every context it opens reports
 * Content-Security-Policy violations (the `securitypolicyviolation` event and Chromium's "Refused to …
 * Content Security Policy" console errors); `browser.close()` then fails the spec that caused them
 * (issue 12 §7: the console must run under its CSP).
 */
export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const violations: string[] = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const ctx = await newContext(...args);
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    ctx.on('console', (msg) => {
      if (msg.type() === 'error' && /CSP violation|Content Security Policy/i.test(msg.text())) violations.push(`${msg.page()?.url() ?? ''}: ${msg.text()}`);
    });
    return ctx;
  };
  browser.newPage = async (...args: Parameters<Browser['newPage']>) => {
    const ctx = await browser.newContext(...args);
    const page = await ctx.newPage();
    // As with Playwright's own browser.newPage(), closing the page closes its context.
    page.on('close', () => void ctx.close().catch(() => undefined));
    return page;
  };
  const close = browser.close.bind(browser);
  browser.close = async (...args: Parameters<Browser['close']>) => {
    await close(...args);
    if (violations.length) throw new Error(`Content-Security-Policy violations:\n${[...new Set(violations)].join('\n')}`);
  };
  return browser;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, username: string, password = 'Linggong@2026'): Promise<void> {
  await page.goto(`${BASE_URL}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The demo seed's stable ids (tools/db/demo-seed.ts demoId), without loading the seed's server code. */
export function demoId(key: string): string {
  const h = createHash('sha256').update(`linggong-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
