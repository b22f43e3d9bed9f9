// `npm test`: the same preparation as `npm start`, then lint, unit tests, API e2e tests (in-process,
// real PostgreSQL and Redis), browser tests (headless Debian Chromium against the built app) and the
// fault suite (its own PostgreSQL cluster, Redis and pgbouncer, killed and restarted on purpose).
// Pass a stage name to run only that stage: lint | unit | api | browser | fault.
import { build, ensureBrowser, ensureDependencies, ensureFaultTools, ensurePdfFont, ensurePdfText, ensurePostgres, ensureRedis, NX_ENV, run } from './prepare.mjs';

const only = process.argv[2];
const want = (stage) => !only || only === stage;
const started = Date.now();

ensureDependencies();
await ensurePostgres();
await ensureRedis();
if (want('api') || want('browser')) ensurePdfFont();
if (want('api')) ensurePdfText();
if (want('browser')) ensureBrowser();
if (want('fault')) ensureFaultTools();

if (want('lint')) {
  run('npx nx run-many -t lint --outputStyle=static', { env: NX_ENV });
  // Copy-paste detector (jscpd 5.3.2; 5.4.1 does not run here): the console's list pages share the list kit
  // instead of copies. .jscpd.json holds the threshold (2.5 % duplicated lines, reached with issue 11's kit).
  run('npx jscpd libs/console');
}
if (want('unit')) run('npx nx run-many -t test --outputStyle=static', { env: NX_ENV });
if (want('api')) run('npx jest -c tests/jest.config.cts --ci -i tests/api');
if (want('browser')) {
  build();
  run('npx jest -c tests/browser/jest.config.cts --ci -i');
}
if (want('fault')) {
  // The worker runs as its built bundle, as deployed (the browser stage's build made it already).
  if (only) run('npx nx run worker:build --outputStyle=static', { env: NX_ENV });
  run('npx jest -c tests/fault/jest.config.cts --ci -i');
}
console.log(`\n[linggong] all green in ${Math.round((Date.now() - started) / 1000)} s`);
