/* Browser tests: headless Debian Chromium (playwright-core) against the built console and API. */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/tests/browser'],
  testMatch: ['**/*.e2e-spec.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }] },
  globalSetup: '<rootDir>/tests/browser/support/server.ts',
  globalTeardown: '<rootDir>/tests/browser/support/teardown.ts',
  // Specs that change the demo's shape run last; with --shard=k/2 (npm test) the sequencer splits the specs by length.
  testSequencer: '<rootDir>/tests/browser/support/sequencer.js',
  testTimeout: 120_000,
};
