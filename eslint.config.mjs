import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['node_modules/**', 'dist/**', '.vantage/**', '.nx/**', 'coverage/**', '**/lint-fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing', 'type:client'] },
            // The SDK is what labs and agencies install: it stands on the public API alone, never on the services' code.
            { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:client'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:contracts', 'type:client'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:intake', onlyDependOnLibsWithTags: ['scope:intake', 'scope:shared'] },
            { sourceTag: 'scope:window-scheduler', onlyDependOnLibsWithTags: ['scope:window-scheduler', 'scope:shared'] },
            { sourceTag: 'scope:benchmark-runner', onlyDependOnLibsWithTags: ['scope:benchmark-runner', 'scope:shared'] },
            { sourceTag: 'scope:vuln-clearinghouse', onlyDependOnLibsWithTags: ['scope:vuln-clearinghouse', 'scope:shared'] },
            { sourceTag: 'scope:notifier', onlyDependOnLibsWithTags: ['scope:notifier', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // System tests (tests/) start several services in one process, so they import apps; nothing imports them.
    files: ['tests/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Production code never reaches for the test harness; only specs and test folders may.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@vantage/testing', message: 'The test harness is for tests only.' }] }],
    },
  },
];
