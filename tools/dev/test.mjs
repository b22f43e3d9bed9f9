// `npm test`: the same preparation as `npm start`, then lint, unit tests, the build, API e2e tests (in-process,
// real PostgreSQL and Redis) beside the fault suite (its own PostgreSQL cluster, Redis and pgbouncer, killed and
// restarted on purpose), then browser tests (headless Debian Chromium against the built app, two shards side by side).
// Pass a stage name to run only that stage: lint | unit | api | browser | fault.
import { build, ensureBrowser, ensureDependencies, ensureFaultTools, ensurePdfFont, ensurePdfText, ensurePostgres, ensureRedis, log, NX_ENV, run, runAlongside } from './prepare.mjs';

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
  // The light icon set (public pages, sign-in) is a generated copy of the icon package's definitions.
  run('node tools/icons/light-icons.mjs --check');
}
if (want('unit')) run('npx nx run-many -t test --outputStyle=static', { env: NX_ENV });
// The browser stage serves the built app and the fault stage runs the built worker, as deployed.
if (want('browser')) build();
else if (want('fault')) run('npx nx run worker:build --outputStyle=static', { env: NX_ENV });
/** Commands started with runAlongside: wait for all of them, then stop at the first that failed. */
async function together(runs) {
  const failed = (await Promise.all(runs)).filter((r) => r.status !== 0);
  if (failed.length) {
    console.error(`\n[linggong] failed: ${failed.map((r) => r.cmd).join('; ')}`);
    process.exit(failed[0].status);
  }
}
// The API suite and the fault suite side by side: the fault suite has its own PostgreSQL cluster, Redis and pgbouncer
// (and runs the API suite once more through the pooler, its longest drill), so neither touches the other's data; on
// two cores the pair takes about as long as the longer one alone. Their output lines are marked [api] and [fault].
const pair = [];
if (want('api')) pair.push(runAlongside('api', 'npx jest -c tests/jest.config.cts --ci -i tests/api'));
if (want('fault')) pair.push(runAlongside('fault', 'npx jest -c tests/fault/jest.config.cts --ci -i'));
await together(pair);
// The browser suite last, on a machine no other stage is loading (its waits are for what a person would see), as two
// shards side by side: each has its own database, server and Redis keys (tests/browser/support/env.ts), and the
// sequencer splits the specs by their measured length and keeps the specs that change the demo last in each. Their
// output lines are marked [browser-1] and [browser-2]. One spec alone: npx jest -c tests/browser/jest.config.cts --ci -i tests/browser/<spec>.
if (want('browser')) {
  const browserStarted = Date.now();
  // The shards copy one demo database reset for this run (LINGGONG_BROWSER_RUN: tests/browser/support/server.ts).
  const runId = `${Date.now()}-${process.pid}`;
  await together([1, 2].map((k) => runAlongside(`browser-${k}`, `npx jest -c tests/browser/jest.config.cts --ci -i --shard=${k}/2`, { env: { LINGGONG_BROWSER_SHARD: String(k), LINGGONG_BROWSER_RUN: runId } })));
  log(`done in ${Math.round((Date.now() - browserStarted) / 1000)} s: the browser stage (both shards)`);
}
console.log(`\n[linggong] all green in ${Math.round((Date.now() - started) / 1000)} s`);
