import { ConfigError, loadConfig } from '@linggong/api-core';
import { bootstrap, migrate, reset, setup, withOwner } from './db';
import { demoTotpSecret, totpCode } from '@linggong/api-identity';
import { DEMO_TOTP_USERS, demoSecondFactorAllowed, seedDemo } from './demo-seed';

const USAGE = 'usage: node dist/tools/db/main.js <bootstrap|migrate|revert|seed|setup|reset [--today]|otp <demo user>>';

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
      return withOwner(config, (ds) => seedDemo(ds, config, { activity: 'full' }));
    case 'setup':
      return setup(config);
    case 'reset':
      // From the command line a developer wants the whole demo; the API test setup calls reset() for today's only.
      return reset(config, { activity: process.argv.includes('--today') ? 'today' : 'full' });
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
    default:
      console.error(USAGE);
      process.exit(2);
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
