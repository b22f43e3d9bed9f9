/* Black-box suites over the running system (real PostgreSQL and Redis). `npm test` runs them. */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('../tsconfig.base.json');
const preset = require('../jest.preset.js');

module.exports = {
  rootDir: '..',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.e2e-spec.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }],
    // Dependencies that ship ES modules only (jest.preset.js says which and why).
    ...preset.transform,
  },
  transformIgnorePatterns: preset.transformIgnorePatterns,
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  setupFiles: ['<rootDir>/tests/support/env.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  testTimeout: 120_000,
};
