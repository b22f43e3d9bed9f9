/* Unit tests of the console kit's router-free logic. @angular/core ships ES modules only: jest (CommonJS here) transpiles it like our code. */
const preset = require('../../../jest.preset.js');
const path = require('node:path');

const esm = path.join(__dirname, '../../../tsconfig.jest-esm.json');
module.exports = {
  displayName: 'console-ui',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    ...preset.transform,
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    '/node_modules/@angular/core/.+\\.mjs$': ['ts-jest', { tsconfig: esm }],
  },
  transformIgnorePatterns: preset.transformIgnorePatterns.map((p) => p.replace('(?!.*/node_modules/', '(?!.*/node_modules/(?:@angular/core/)|.*/node_modules/')),
  moduleFileExtensions: ['ts', 'js', 'mjs', 'html'],
  coverageDirectory: '../../../coverage/libs/console/ui',
};
