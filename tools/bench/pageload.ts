import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { SLOT, benchDb, median, strArg } from './common';

/**
 * Benchmark `pageload` (issue 17 §10): a worker's phone at the market gate on a weak signal. The built
 * API serving the built console (dist/, as in production: compression, caching headers), its own
 * database (linggong_bench_pageload, the demo without activity) and Redis key prefix; headless Chromium
 * (playwright-core, /usr/bin/chromium) throttled through CDP `Network.emulateNetworkConditions` to
 * 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, cache disabled (a first visit). For each page: the
 * JavaScript bytes transferred (CDP `encodedDataLength`, i.e. after compression, headers included), the
 * decoded JavaScript size, every byte transferred, first contentful paint and the time until the
 * page's own content is on screen. Median of `--runs` loads. Targets: public pages ≤ 150 kB JS
 * transferred and FCP ≤ 3 s; the console login ≤ 300 kB and ≤ 4 s. A benchmark, not a test: a missed
 * target is printed as FAIL; the exit code is non-zero only when a page did not load.
 *
 *   node tools/bench/run.js pageload [--runs 3] [--port 3985] [--url http://host:port] [--no-reset]
 */

const ROOT = join(__dirname, '../..');
const KB = 1000;

const arg = strArg;

/** The demo seed's stable ids (tools/db/demo-seed.ts demoId), without loading the seed. */
function demoId(key: string): string {
  const h = createHash('sha256').update(`linggong-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface PageSpec { name: string; path: string; ready: string; jsTargetKb: number; fcpTargetMs: number }
interface Load { jsTransferred: number; jsDecoded: number; jsFiles: number; allTransferred: number; fcp: number; ready: number }

async function loadOnce(browser: Browser, base: string, spec: PageSpec): Promise<Load> {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const cdp: CDPSession = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8),
  });
  const types = new Map<string, string>();
  const sizes = new Map<string, { encoded: number; decoded: number }>();
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.dataReceived', (e) => {
    const s = sizes.get(e.requestId) ?? { encoded: 0, decoded: 0 };
    s.decoded += e.dataLength;
    sizes.set(e.requestId, s);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const s = sizes.get(e.requestId) ?? { encoded: 0, decoded: 0 };
    s.encoded = e.encodedDataLength;
    sizes.set(e.requestId, s);
  });
  const t0 = Date.now();
  await page.goto(`${base}${spec.path}`, { waitUntil: 'commit' });
  await page.locator(spec.ready).first().waitFor({ timeout: 60_000 });
  const ready = Date.now() - t0;
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  let jsTransferred = 0, jsDecoded = 0, jsFiles = 0, allTransferred = 0;
  for (const [id, s] of sizes) {
    allTransferred += s.encoded;
    if (types.get(id) === 'Script') {
      jsTransferred += s.encoded;
      jsDecoded += s.decoded;
      jsFiles++;
    }
  }
  await ctx.close();
  return { jsTransferred, jsDecoded, jsFiles, allTransferred, fcp: Math.round(fcp), ready };
}

async function waitReady(base: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/api/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not become ready at ${base}`);
}

export async function main(args: string[]): Promise<number> {
  const runs = Number(arg(args, 'runs', '3'));
  const port = Number(arg(args, 'port', '3985'));
  const given = arg(args, 'url', '');
  const base = given || `http://127.0.0.1:${port}`;
  const market = demoId('m-zhongmu');
  let server: ChildProcess | undefined;
  if (!given) {
    for (const f of ['dist/apps/api/main.js', 'dist/tools/db/main.js', 'dist/apps/console/browser/index.html']) {
      if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: build first (npm run build)`);
    }
    // Another checkout's server on this port would be measured instead of this one (the browser suites use 3993–3999).
    const busy = await fetch(`${base}/api/ready`).then(() => true, () => false);
    if (busy) throw new Error(`port ${port} is already serving something: choose another with --port`);
    const db = benchDb('linggong_bench_pageload');
    const env = {
      ...process.env, NODE_ENV: 'test', PORT: String(port), LOG_LEVEL: 'warn',
      DATABASE_URL: `postgres://linggong_app@127.0.0.1:5432/${db}`, DATABASE_OWNER_URL: `postgres://linggong_owner@127.0.0.1:5432/${db}`,
      REDIS_URL: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/2', REDIS_PREFIX: `lgbench-pageload${SLOT}`,
      CONSOLE_DIR: join(ROOT, 'dist/apps/console/browser'),
    };
    if (!args.includes('--no-reset')) {
      const r = spawnSync('node', ['dist/tools/db/main.js', 'reset', '--today'], { cwd: ROOT, env, stdio: 'pipe', encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`db reset failed: ${r.stderr}`);
    }
    server = spawn('node', ['dist/apps/api/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const pages: PageSpec[] = [
    { name: 'public check-in', path: `/m/${market}/checkin`, ready: '[data-testid="checkin-mobile"]', jsTargetKb: 150, fcpTargetMs: 3000 },
    { name: 'public market', path: `/m/${market}`, ready: '[data-testid="public-market"]', jsTargetKb: 150, fcpTargetMs: 3000 },
    { name: 'public jobs', path: `/m/${market}/jobs`, ready: '[data-testid="public-jobs-count"]', jsTargetKb: 150, fcpTargetMs: 3000 },
    { name: 'public complaint', path: `/m/${market}/complaint`, ready: '[data-testid="public-complaint-form"]', jsTargetKb: 150, fcpTargetMs: 3000 },
    { name: 'public job board', path: '/board', ready: '[data-testid="board-count"]', jsTargetKb: 150, fcpTargetMs: 3000 },
    { name: 'console login', path: '/login', ready: '[data-testid="login-username"]', jsTargetKb: 300, fcpTargetMs: 4000 },
  ];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'] });
  const summary: Record<string, unknown>[] = [];
  let failed = 0;
  try {
    await waitReady(base);
    // One unmeasured load first: the server's first answers (compression of each file) are not the network's.
    await loadOnce(browser, base, pages[0]).catch(() => undefined);
    console.log(`pageload: ${runs} run(s) per page, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, cache disabled, ${base}`);
    console.log('page              JS transferred   JS decoded  files   all bytes      FCP   content   target');
    for (const spec of pages) {
      const loads: Load[] = [];
      for (let i = 0; i < runs; i++) {
        try {
          loads.push(await loadOnce(browser, base, spec));
        } catch (e) {
          console.log(`${spec.name}: did not load (${(e as Error).message.split('\n')[0]})`);
          failed++;
        }
      }
      if (!loads.length) continue;
      const m = {
        jsTransferred: median(loads.map((l) => l.jsTransferred)), jsDecoded: median(loads.map((l) => l.jsDecoded)), jsFiles: median(loads.map((l) => l.jsFiles)),
        allTransferred: median(loads.map((l) => l.allTransferred)), fcp: median(loads.map((l) => l.fcp)), ready: median(loads.map((l) => l.ready)),
      };
      const ok = m.jsTransferred <= spec.jsTargetKb * KB && m.fcp <= spec.fcpTargetMs;
      console.log(
        `${spec.name.padEnd(17)} ${(m.jsTransferred / KB).toFixed(1).padStart(9)} kB ${(m.jsDecoded / KB).toFixed(0).padStart(9)} kB ${String(m.jsFiles).padStart(5)} ` +
        `${(m.allTransferred / KB).toFixed(1).padStart(9)} kB ${(m.fcp / 1000).toFixed(2).padStart(7)} s ${(m.ready / 1000).toFixed(2).padStart(7)} s   ` +
        `≤ ${spec.jsTargetKb} kB, ≤ ${spec.fcpTargetMs / 1000} s: ${ok ? 'ok' : 'FAIL'}`,
      );
      summary.push({ page: spec.name, path: spec.path, ...m, ok });
    }
  } finally {
    await browser.close();
    server?.kill('SIGTERM');
  }
  const json = JSON.stringify({ bench: 'pageload', at: new Date().toISOString(), runs, results: summary });
  console.log(json);
  if (arg(args, 'out', '')) writeFileSync(arg(args, 'out', ''), json);
  return failed ? 1 : 0;
}
