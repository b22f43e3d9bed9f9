import { createHash, createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium, type Browser, type ConsoleMessage, type Locator, type Page, type Request, type Response } from 'playwright-core';
import { BASE_URL, BROWSER_ENV } from './env';

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

/**
 * Wait until the page stops changing: its fonts loaded and no DOM mutation for `quiet` ms (but no longer than `max` ms in
 * all, for a page that keeps ticking), then two animation frames so the last change is laid out. Instead of a fixed sleep
 * before measuring or photographing a page: a page that is ready early is not waited for, one that is slow is. Also before
 * the first tap on a phone page that may still grow.
 */
export async function settled(page: Page, quiet = 150, max = 3000): Promise<void> {
  await page.evaluate(([quietMs, maxMs]) => document.fonts.ready.then(() => new Promise<void>((resolve) => {
    const end = Date.now() + maxMs;
    const done = () => {
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
    };
    let timer = setTimeout(done, quietMs);
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(done, Math.min(quietMs, Math.max(0, end - Date.now())));
    });
    observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  })), [quiet, max] as const);
}

/**
 * Open a select (nz-select) by its trigger and read the options it lists, once they are shown: the dropdown is drawn after
 * the click, so reading at once may find none. Leaves the dropdown open.
 */
export async function selectOptions(page: Page, trigger: Locator): Promise<string[]> {
  await trigger.click();
  const options = page.locator('.ant-select-dropdown nz-option-item');
  await options.first().waitFor();
  await settled(page);
  return (await options.allInnerTexts()).map((o) => o.trim());
}

/** A phone's browser settings for the public pages: its screen (375×812 unless given), double density, touch, Chinese. */
export function phoneScreen(screen = { width: 375, height: 812 }) {
  return { viewport: screen, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Sign in through the login page. A user with a second factor (the demo's authority users and the
 * platform admin) gets the code step; the code comes from `npm run demo:otp`'s command.
 */
/**
 * The width of an image once the browser has decoded it (0 if it is broken): an element can be on the page before its
 * picture has loaded, so reading `naturalWidth` at once may see nothing yet.
 */
export function loadedImageWidth(img: Locator): Promise<number> {
  return img.evaluate(async (el: HTMLImageElement) => {
    if (!el.complete || !el.naturalWidth) await el.decode().catch(() => undefined);
    return el.naturalWidth;
  });
}

export async function signIn(page: Page, username: string, password = 'Linggong@2026', totpSecret?: string): Promise<void> {
  await openLoginForm(page);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForFunction(() => !location.pathname.startsWith('/login') || !!document.querySelector('[data-testid="login-code"]'));
  if (new URL(page.url()).pathname.startsWith('/login')) {
    if (totpSecret) await forgetTotpStep(username);
    await page.getByTestId('login-code').fill(totpSecret ? totpNow(totpSecret) : await demoCode(username));
    await page.getByTestId('login-code-submit').click();
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * The sign-in page, up to its form. Once (stop 23's CI, the first page of a shard right after its server started) the form
 * had not appeared 30 s after the page loaded, and nothing said why. Now what the page met is collected (console errors,
 * failed requests, 4xx/5xx answers, the text on the page) and printed; the page is loaded once more before the test
 * fails with it.
 */
async function openLoginForm(page: Page): Promise<void> {
  const { met, stop } = watchPage(page);
  try {
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      await page.goto(`${BASE_URL}/login`);
      try {
        await page.getByTestId('login-username').waitFor({ timeout: 30_000 });
        return;
      } catch {
        const text = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 200);
        const report = `the sign-in form did not appear ${Math.round((Date.now() - started) / 1000)} s after loading /login (load ${attempt}): ${met.join(' | ') || 'no console error, failed request or error answer'}; the page says "${text}"`;
        if (attempt === 2) throw new Error(report);
        console.warn(report);
        met.length = 0;
      }
    }
  } finally {
    stop();
  }
}

/** What a page meets while it is watched: console errors, failed requests, 4xx/5xx answers (until `stop()`). */
export function watchPage(page: Page): { met: string[]; stop: () => void } {
  const met: string[] = [];
  const onConsole = (m: ConsoleMessage) => void (m.type() === 'error' && met.push(`console: ${m.text()}`));
  const onFailed = (r: Request) => void met.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  const onResponse = (r: Response) => void (r.status() >= 400 && met.push(`${r.status()}: ${r.url()}`));
  page.on('console', onConsole).on('requestfailed', onFailed).on('response', onResponse);
  return { met, stop: () => void page.off('console', onConsole).off('requestfailed', onFailed).off('response', onResponse) };
}

/**
 * Run `action` (a click that shows something) and wait for `target`; if it does not come within `timeout`, fail saying
 * what the page met meanwhile (`watchPage`) and what it shows (its text; a screenshot `failed-<name>`), not only that
 * the wait ran out.
 */
export async function showsAfter(page: Page, action: () => Promise<unknown>, target: Locator, name: string, timeout = 60_000): Promise<void> {
  const { met, stop } = watchPage(page);
  const started = Date.now();
  try {
    await action();
    await target.waitFor({ timeout });
  } catch (e) {
    const all = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ');
    const text = all.length > 600 ? `${all.slice(0, 200)} … ${all.slice(-400)}` : all;
    await shot(page, `failed-${name}`).catch(() => undefined);
    throw new Error(`${name}: not shown ${Math.round((Date.now() - started) / 1000)} s on (${(e as Error).message.split('\n')[0]}); the page met: ${met.join(' | ') || 'no console error, failed request or error answer'}; it says "${text}"`);
  } finally {
    stop();
  }
}

const ROOT = join(__dirname, '../../..');

/** The secrets `demo:otp` printed in this spec file, by user. */
const demoSecrets = new Map<string, string>();

/**
 * The current code of a demo user, from the built db CLI (`npm run demo:otp -- <user>`). A code is
 * accepted once per 30-second step and the suite signs the same demo users in many times a minute,
 * so the user's last used step is forgotten first (the replay refusal is tested in the API suite).
 * The CLI's first code for a user is checked against the secret it prints (with totpNow, independent of the
 * API's otplib); the user's later codes in the same spec file come from that secret, as an authenticator app's
 * would, instead of starting the CLI again (a couple of seconds of CPU each, dozens of times per run).
 */
export async function demoCode(username: string): Promise<string> {
  await forgetTotpStep(username);
  const known = demoSecrets.get(username);
  if (known) return totpNow(known);
  const before = Date.now();
  const r = spawnSync('node', ['dist/tools/db/main.js', 'otp', username], { cwd: ROOT, env: { ...process.env, ...BROWSER_ENV }, encoding: 'utf8' });
  const code = r.stdout.trim().split(/\s+/)[0];
  const secret = /secret ([A-Z2-7]+)\)/.exec(r.stdout)?.[1];
  if (r.status !== 0 || !/^\d{6}$/.test(code) || !secret) throw new Error(`demo:otp ${username}: ${r.status} ${r.stdout} ${r.stderr}`);
  if (code !== totpNow(secret, before) && code !== totpNow(secret)) throw new Error(`demo:otp ${username}: ${code} is not the code of the secret it printed`);
  demoSecrets.set(username, secret);
  return code;
}

/** One statement as the database owner, for arranging what a spec cannot do in the console (e.g. let days pass). */
export async function ownerQuery<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: BROWSER_ENV['DATABASE_OWNER_URL'] });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/**
 * A new user of an organisation who must have a second factor (an authority user), enrolled over the API as they would
 * at their first sign-in; returns the TOTP secret, for `signIn(page, username, password, secret)`.
 */
export async function enrolledUser(admin: Awaited<ReturnType<typeof apiAs>>, user: { username: string; displayName: string; password: string; orgId: string; roles: string[] }): Promise<string> {
  await admin('POST', '/users', { ...user, marketIds: [], phone: '13800000098' });
  const r = await fetch(`${BASE_URL}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }) });
  const ch = (await r.json()) as { challenge: string; secondFactor: string; enrolment?: { secret: string } };
  if (ch.secondFactor !== 'enrol' || !ch.enrolment) throw new Error(`enrol ${user.username}: ${JSON.stringify(ch)}`);
  const e = await fetch(`${BASE_URL}/api/v1/auth/login/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: ch.challenge, code: totpNow(ch.enrolment.secret) }) });
  if (!e.ok) throw new Error(`enrol ${user.username}: ${e.status} ${await e.text()}`);
  return ch.enrolment.secret;
}

export async function forgetTotpStep(username: string): Promise<void> {
  const db = new Client({ connectionString: BROWSER_ENV['DATABASE_OWNER_URL'] });
  await db.connect();
  try {
    await db.query('UPDATE users SET totp_last_step = NULL WHERE username = $1', [username]);
  } finally {
    await db.end();
  }
}

/**
 * RFC 6238 (SHA-1, 6 digits, 30 s) written out here, independent of the API's otplib, so the browser
 * test also checks that what the console shows works in any authenticator.
 */
export function totpNow(base32Secret: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32Secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The demo seed's stable ids (tools/db/demo-seed.ts demoId), without loading the seed's server code. */
export function demoId(key: string): string {
  const h = createHash('sha256').update(`linggong-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A signed-in API caller for arranging a spec's data (bearer token: no cookie, no CSRF), as a demo user (their
 * second factor answered from the demo's secret) or any user with its password. A call without a body sends `{}`
 * (a JSON POST needs one); a failed call throws with the status and the answer.
 */
export async function apiAs(username: string, password = 'Linggong@2026') {
  const r = await fetch(`${BASE_URL}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  let body = (await r.json()) as { token?: string; challenge?: string };
  if (!body.token) {
    const s = await fetch(`${BASE_URL}/api/v1/auth/login/second-factor`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: body.challenge, code: await demoCode(username) }),
    });
    if (!s.ok) throw new Error(`login ${username} (second factor): ${s.status} ${await s.text()}`);
    body = (await s.json()) as { token: string };
  }
  const token = body.token as string;
  return async <T = Record<string, unknown>>(method: string, path: string, payload?: unknown): Promise<T> => {
    const res = await fetch(`${BASE_URL}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(payload),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
}
