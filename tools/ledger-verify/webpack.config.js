const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: { path: join(__dirname, '../../dist/tools/ledger-verify'), clean: true },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node', compiler: 'tsc', main: './cli.ts', tsConfig: './tsconfig.json',
      optimization: false, outputHashing: 'none', generatePackageJson: false, sourceMap: true,
    }),
  ],
};
