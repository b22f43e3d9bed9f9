import { ConfigError, loadConfig } from '@linggong/api-core';
import { bootstrap, migrate, reset, setup, withOwner } from './db';
import { seedDemo } from './demo-seed';
import { rollupDemo } from './demo-rollup';

const USAGE = 'usage: node dist/tools/db/main.js <bootstrap|migrate|revert|seed|setup|reset [--today]>';

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
      return;
    case 'setup':
      return setup(config);
    case 'reset':
      // From the command line a developer wants the whole demo; the API test setup calls reset() for today's only.
      await reset(config, { activity: process.argv.includes('--today') ? 'today' : 'full' });
      // The demo's sealed days rolled up (the API test setup's reset has none sealed and skips this).
      if (!process.argv.includes('--today')) console.log(await rollupDemo(config));
      return;
    default:
      console.error(USAGE);
      process.exit(2);
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
