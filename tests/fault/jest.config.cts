/* The fault suite: its own PostgreSQL cluster, Redis and pgbouncer, killed and restarted on purpose. */
const base = require('../jest.config.cts');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/tests/fault'],
  testMatch: ['**/*.fault-spec.ts'],
  setupFiles: ['<rootDir>/tests/fault/support/env.ts'],
  globalSetup: '<rootDir>/tests/fault/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/fault/support/global-teardown.ts',
  testSequencer: '<rootDir>/tests/fault/support/sequencer.cjs',
  testTimeout: 300_000,
};
