const nxPreset = require('@nx/jest/preset').default;

/**
 * Dependencies that ship ES modules only, which jest (CommonJS here) must transpile like our own code:
 * content-disposition 2 under @fastify/static (loaded by Swagger's UI), `cookie` loaded by
 * @fastify/cookie with a dynamic import(), and otplib's @scure/base and @noble/hashes 2 (wherever npm
 * places them). Shared by every project's unit tests and the black-box suites (tests/jest.config.cts).
 */
const ESM_ONLY = '@fastify/(?:static/node_modules/content-disposition|cookie)|@scure/base|(?:.+/node_modules/)?@noble/hashes';
const esmTransform = {
  [`/node_modules/(?:${ESM_ONLY})/.+\\.js$`]: ['ts-jest', { tsconfig: require('node:path').join(__dirname, 'tsconfig.jest-esm.json') }],
};
const esmIgnore = [`^(?!.*/node_modules/(?:${ESM_ONLY})/).*/node_modules/`];

module.exports = { ...nxPreset, transform: esmTransform, transformIgnorePatterns: esmIgnore };
