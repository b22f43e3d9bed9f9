import { ConfigError, loadConfig } from '@linggong/api-core';
import { bootstrap, migrate, reset, setup, withOwner } from './db';
import { demoTotpSecret, totpCode } from '@linggong/api-identity';
import { DEMO_TOTP_USERS, demoSecondFactorAllowed, seedDemo } from './demo-seed';
import { backup, restore, verifyLedgers, withDb } from './backup';
import { rollupDemo } from './demo-rollup';
import { seedDirectoryDemo } from './demo-directory';
import { seedAssessmentDemo } from './demo-assessment';

const USAGE = `usage: node dist/tools/db/main.js <command>
  bootstrap | migrate | revert | seed | setup | reset [--today]
  backup FILE                       pg_dump (custom format) of the database of DATABASE_OWNER_URL
  restore FILE DATABASE             into a new database on the server of DATABASE_ADMIN_URL
  verify-ledgers [DATABASE]         every market's work log: chain, seals, signatures, receipts
  otp USER                          the current second-factor code of a demo user (npm run demo:otp -- USER)`;
const arg = (i: number) => process.argv.slice(3).filter((a) => !a.startsWith('--'))[i];

async function main() {
  const cmd = process.argv[2];
  const config = loadConfig();
  switch (cmd) {
    case 'bootstrap':
      return bootstrap(config);
    case 'migrate': {
      const done = await migrate(config);
      console.log(`migrations applied: ${done.length ? done.join(', ') : 'none (up to date)'}`);
      return;
    }
    case 'revert':
      return withOwner(config, (ds) => ds.undoLastMigration({ transaction: 'each' }));
    case 'seed':
      await withOwner(config, (ds) => seedDemo(ds, config, { activity: 'full' }));
      console.log(await rollupDemo(config));
      console.log(await seedDirectoryDemo(config, { full: true }));
      console.log(await seedAssessmentDemo(config));
      return;
    case 'setup':
      return setup(config);
    case 'reset':
      // From the command line a developer wants the whole demo; the API test setup calls reset() for today's only.
      await reset(config, { activity: process.argv.includes('--today') ? 'today' : 'full' });
      // The demo's sealed days rolled up (the API test setup's reset has none sealed and skips this).
      if (!process.argv.includes('--today')) {
        console.log(await rollupDemo(config));
        // The directory's quarters are frozen from the rolled-up days (issue 14).
        console.log(await seedDirectoryDemo(config, { full: true }));
        // A completed assessment cycle over the sealed history (issue 15 §7).
        console.log(await seedAssessmentDemo(config));
      }
      return;
    case 'otp': {
      // `npm run demo:otp -- county.reviewer`: the current code of a demo user's PUBLISHED secret.
      const user = (process.argv[3] ?? '').toLowerCase();
      if (!(DEMO_TOTP_USERS as readonly string[]).includes(user)) {
        console.error(`usage: npm run demo:otp -- <${DEMO_TOTP_USERS.join('|')}>`);
        process.exit(2);
      }
      if (!demoSecondFactorAllowed(config)) {
        console.error('published demo TOTP secrets are refused here (production or TOTP_REFUSE_DEMO_SECRETS)');
        process.exit(1);
      }
      const secret = demoTotpSecret(user);
      const left = 30 - (Math.floor(Date.now() / 1000) % 30);
      console.log(`${await totpCode(secret)}  (${user}, valid ${left}s more; secret ${secret})`);
      return;
    }
    case 'backup': {
      if (!arg(0)) break;
      const r = backup(config, arg(0));
      console.log(`backup of ${r.database} written to ${r.file} (${r.bytes} bytes)`);
      return;
    }
    case 'restore': {
      if (!arg(0) || !arg(1)) break;
      const r = await restore(config, arg(0), arg(1));
      console.log(`restored ${arg(0)} into database ${r.database}; check it with: verify-ledgers ${r.database}`);
      return;
    }
    case 'verify-ledgers': {
      const r = await verifyLedgers(config, arg(0) ? withDb(config.DATABASE_OWNER_URL, arg(0)) : undefined);
      console.log(`${r.database}: ${r.markets} market(s), ${r.entries} entries, ${r.seals} seals, ${r.receipts} receipts`);
      if (r.ok) return console.log('OK: every chain, Merkle root, signature and receipt verifies');
      console.log(`BROKEN: first bad link: market ${r.firstBad?.marketId} sequence ${r.firstBad?.seq ?? '-'} day ${r.firstBad?.businessDay ?? '-'}: ${r.firstBad?.code}: ${r.firstBad?.detail}`);
      process.exit(1);
    }
  }
  // An unknown command, or one without its arguments.
  console.error(USAGE);
  process.exit(2);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
