import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { Redis } from 'ioredis';
import '../support/env';

// globalSetup is not subject to jest's moduleNameMapper: resolve the workspace aliases here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
register({ baseUrl: join(__dirname, '../..'), paths: require('../../tsconfig.base.json').compilerOptions.paths });

/** A fresh test database (migrated, demo-seeded) and an empty test Redis db, once per run. */
export default async function globalSetup(): Promise<void> {
  // Imported after the aliases are registered.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadConfig } = require('@linggong/api-core') as typeof import('@linggong/api-core');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { reset } = require('../../tools/db/db') as typeof import('../../tools/db/db');
  const config = loadConfig();
  const log = console.log;
  console.log = () => undefined;
  try {
    await reset(config);
  } finally {
    console.log = log;
  }
  const redis = new Redis(config.REDIS_URL);
  await redis.flushdb();
  await redis.quit();
}
