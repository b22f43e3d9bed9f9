import nx from '@nx/eslint-plugin';

/**
 * Module boundaries that really constrain (STYLE.md "Tags that actually constrain"):
 * scope:api | console | shared × type:app | feature | ui | data | util | domain.
 */
const SERVER_ONLY = ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg', 'fastify', '@fastify/*', 'nestjs-pino', 'pino*', '@node-rs/*', 'prom-client'];
const FRAMEWORKS = [...SERVER_ONLY, '@angular/*', 'ng-zorro-antd*', 'ngx-echarts', 'echarts*', '@jsverse/*', 'rxjs*'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '.nx', 'artifacts'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            // Scopes: the console never reaches server code; the domain reaches nothing of ours.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: FRAMEWORKS },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'], bannedExternalImports: ['@angular/*', 'ng-zorro-antd*', 'ngx-echarts', '@jsverse/*'] },
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'], bannedExternalImports: SERVER_ONLY },
            // Types: apps compose features; features use ui, data, util and the domain; nothing depends on an app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:ui', 'type:data', 'type:util', 'type:domain'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:ui', 'type:data', 'type:util', 'type:domain'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:data', 'type:util', 'type:domain'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:util', 'type:domain'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:domain'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
          ],
        },
      ],
    },
  },
  {
    // One config schema reads the environment; nothing else does (STYLE.md "One config schema").
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/api/core/src/lib/config.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through loadConfig() (libs/api/core config.ts).' }],
    },
  },
  {
    // The console's entry imports every context declaration (for its public routes), and the public pages
    // are light (issue 17 §10): a declaration names its menu icons through a loader of its menu-icons.ts,
    // and the public pages draw lg-icon from @linggong/console-ui/light, never ng-zorro's icon module.
    files: ['libs/console/*/src/lib/*.context.ts', 'libs/console/public/src/lib/**/*.ts'],
    ignores: ['libs/console/public/src/lib/gate-screen.page.ts', 'libs/console/public/src/lib/market-qr.page.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: '@ant-design/icons-angular/icons', message: 'A context names its menu icons in menu-icons.ts (icons: () => import(\'./menu-icons\')…); a public page uses @linggong/console-ui/light.' },
        { name: 'ng-zorro-antd/icon', message: 'Public pages draw <lg-icon> from @linggong/console-ui/light (issue 17 §10).' },
        { name: '@angular/forms', message: 'Public pages bind signals to plain elements ([value] + (input)): @angular/forms is ≈ 12 kB of their 150 kB (issue 17 §10).' },
      ] }],
    },
  },
  {
    // Leaving a field out of an object by destructuring it away is intended, not an unused variable.
    files: ['**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': ['warn', { ignoreRestSiblings: true }] },
  },
];
