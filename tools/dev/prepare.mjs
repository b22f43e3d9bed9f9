// Preparation shared by `npm start` and `npm test`: dependencies, PostgreSQL, Redis, (for tests)
// Chromium and a CJK font, and the build. Works on a clean Debian machine with Node and npm; as
// root it installs what is missing with apt, otherwise it says exactly what to run.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const isRoot = process.getuid?.() === 0;

export function log(msg) {
  console.log(`\x1b[36m[linggong]\x1b[0m ${msg}`);
}

export function run(cmd, opts = {}) {
  log(`$ ${cmd}`);
  const started = Date.now();
  const r = spawnSync(cmd, { shell: true, stdio: 'inherit', cwd: ROOT, ...opts, env: { ...process.env, ...opts.env } });
  if (r.status !== 0) {
    console.error(`\n[linggong] failed (exit ${r.status}) after ${Math.round((Date.now() - started) / 1000)} s: ${cmd}`);
    process.exit(r.status ?? 1);
  }
  log(`done in ${Math.round((Date.now() - started) / 1000)} s: ${cmd}`);
}

/**
 * `run` beside other work: the command's output comes line by line with `[label]` in front, so two stages running
 * at once stay readable. Resolves with the command and its exit status (never exits the process itself).
 */
export function runAlongside(label, cmd, opts = {}) {
  log(`$ ${cmd}   (as [${label}], beside the other stages)`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT, ...opts, env: { ...process.env, ...opts.env } });
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      let rest = '';
      from.setEncoding('utf8');
      from.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) to.write(`[${label}] ${line}\n`);
      });
      from.on('end', () => rest && to.write(`[${label}] ${rest}\n`));
    }
    child.on('close', (status) => {
      const took = Math.round((Date.now() - started) / 1000);
      if (status === 0) log(`done in ${took} s: [${label}] ${cmd}`);
      else console.error(`\n[linggong] failed (exit ${status}) after ${took} s: [${label}] ${cmd}`);
      resolve({ cmd, status: status ?? 1 });
    });
  });
}

const quiet = (cmd) => spawnSync(cmd, { shell: true, stdio: 'pipe', cwd: ROOT }).status === 0;
const has = (bin) => quiet(`command -v ${bin}`);

function port(host, p, timeout = 1000) {
  return new Promise((resolve) => {
    const s = connect({ host, port: p });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeout, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function waitPort(p, what, seconds = 30) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await port('127.0.0.1', p)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not come up on 127.0.0.1:${p}`);
}

function aptInstall(pkgs) {
  if (!isRoot) {
    console.error(`\n[linggong] missing: ${pkgs.join(' ')}. Run as root:\n  apt-get update && apt-get install -y ${pkgs.join(' ')}\nthen run this command again.`);
    process.exit(1);
  }
  run('apt-get update -qq', { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  run(`apt-get install -y -qq ${pkgs.join(' ')}`, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules/.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
    // `npm ci` fails on this registry mirror (other platforms' optional binaries are absent): STACK.md.
    run('npm install --no-audit --no-fund');
  }
}

export async function ensurePostgres() {
  if (await port('127.0.0.1', 5432)) return;
  const clusters = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (clusters.length === 0) {
    aptInstall(['postgresql']);
    // A development box: trust loopback connections, as the default DATABASE_* URLs expect.
    const version = readdirSync('/etc/postgresql')[0];
    const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
    run(`sed -i '1i host all all 127.0.0.1/32 trust\\nhost all all ::1/128 trust' ${hba}`);
  }
  const version = readdirSync('/etc/postgresql')[0];
  const start = `pg_ctlcluster --skip-systemctl-redirect ${version} main start`;
  if (!isRoot) {
    console.error(`\n[linggong] PostgreSQL is installed but not running. Run as root:\n  ${start}`);
    process.exit(1);
  }
  run(start);
  await waitPort(5432, 'PostgreSQL');
}

export async function ensureRedis() {
  if (await port('127.0.0.1', 6379)) return;
  if (!has('redis-server')) aptInstall(['redis-server']);
  run(`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`);
  await waitPort(6379, 'Redis');
}

export function ensureBrowser() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  // Without a CJK font, Chinese renders as empty boxes in screenshots (STACK.md).
  if (!quiet('fc-list :lang=zh | grep -q .')) missing.push('fonts-noto-cjk');
  if (missing.length) aptInstall(missing);
}

/**
 * The monthly report's PDF embeds a TrueType CJK font from Debian's packages (libs/api/reports pdf.ts:
 * WenQuanYi Micro Hei; without one the PDF route answers 503), and the API suite reads the PDF's text
 * back with pdftotext (poppler-utils).
 */
export function ensurePdfFont() {
  const fonts = ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', '/usr/share/fonts/truetype/arphic/uming.ttc'];
  if (!fonts.some((f) => existsSync(f))) aptInstall(['fonts-wqy-microhei']);
}

export function ensurePdfText() {
  if (!has('pdftotext')) aptInstall(['poppler-utils']);
}

/**
 * The fault suite (tests/fault) starts its own PostgreSQL cluster (initdb / pg_ctl of PostgreSQL 15),
 * its own redis-server and pgbouncer, and runs pg_dump / pg_restore for the backup drill.
 */
export function ensureFaultTools() {
  const missing = [];
  if (!existsSync('/usr/lib/postgresql/15/bin/initdb')) missing.push('postgresql-15');
  if (!has('redis-server')) missing.push('redis-server');
  if (!existsSync('/usr/sbin/pgbouncer') && !has('pgbouncer')) missing.push('pgbouncer');
  if (!has('pg_dump') || !has('pg_restore')) missing.push('postgresql-client');
  if (missing.length) aptInstall(missing);
  // Debian's pgbouncer package starts a service of its own on 6432; the suite runs its own instance.
}

export const NX_ENV = { NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', CI: 'true', NG_CLI_ANALYTICS: 'false' };

export function build() {
  run('npx nx run-many -t build -p api worker console db-cli ledger-verify --outputStyle=static', { env: NX_ENV });
}

export function gitRev() {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: 'pipe' }).toString().trim();
  } catch {
    return 'unknown';
  }
}
