#!/usr/bin/env node
/**
 * tools/bench — the ledger and 即时快招 benchmarks, run from the TypeScript sources without a build step:
 *
 *   node tools/bench/run.js append [--seconds 15] [--connections 16]
 *   node tools/bench/run.js verify [--entries 2500000] [--markets 10] [--days 90] [--keep]
 *   node tools/bench/run.js rank [--workers 1000000] [--iterations 30] [--queue 600] [--reuse]
 *   node tools/bench/run.js checkin [--seconds 10] [--concurrency 1,8,32]
 *   node tools/bench/run.js pageload [--runs 3] [--url http://127.0.0.1:3999]   (needs a build)
 *   node tools/bench/run.js analytics [--markets 5000] [--days 365] [--iterations 20] [--scale 5.5] [--raw-days 14] [--keep]
 *   node tools/bench/run.js reports [--markets 1000] [--iterations 5] [--keep]
 *
 * ts-node (transpile only) compiles on the fly; tsconfig-paths resolves the @linggong/* aliases.
 */
const { join } = require('node:path');

const root = join(__dirname, '../..');
require('ts-node').register({
  transpileOnly: true,
  project: join(__dirname, 'tsconfig.json'),
  compilerOptions: { module: 'commonjs', moduleResolution: 'node' },
});
require('tsconfig-paths').register({ baseUrl: root, paths: require(join(root, 'tsconfig.base.json')).compilerOptions.paths });

const scripts = { 'profile-analytics': './profile-analytics.ts', append: './ledger-append.ts', verify: './ledger-verify.ts', rank: './rank.ts', checkin: './checkin.ts', analytics: './analytics.ts', reports: './reports.ts', pageload: './pageload.ts' };
const cmd = process.argv[2];
if (!scripts[cmd]) {
  console.error('usage: node tools/bench/run.js <append|verify|rank|checkin|analytics|reports|pageload> [options]   (see tools/bench/README.md)');
  process.exit(2);
}
require(scripts[cmd])
  .main(process.argv.slice(3))
  .then((code) => process.exit(code ?? 0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
