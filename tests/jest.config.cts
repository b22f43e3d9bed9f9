/* Black-box suites over the running system (real PostgreSQL and Redis). `npm test` runs them. */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('../tsconfig.base.json');

module.exports = {
  rootDir: '..',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.e2e-spec.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }],
    // Two dependencies are not plain CommonJS, which jest runs: content-disposition 2 (under
    // @fastify/static, loaded by Swagger's UI) is an ES module, and @fastify/cookie loads `cookie`
    // with a dynamic import(). Both are transpiled to CommonJS like our own code.
    // otplib's default plugins load @scure/base and @noble/hashes 2, which are ES modules only (wherever
    // npm places them; transpiling an older CommonJS @noble/hashes changes nothing).
    '/node_modules/(@fastify/(static/node_modules/content-disposition|cookie)|@scure/base|(.+/node_modules/)?@noble/hashes)/.+\\.js$': [
      'ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true, isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/(@fastify/(static/node_modules/content-disposition|cookie)|@scure/base|(.+/node_modules/)?@noble/hashes)/).*/node_modules/'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  setupFiles: ['<rootDir>/tests/support/env.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  testTimeout: 120_000,
};
