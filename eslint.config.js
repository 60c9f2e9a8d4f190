// @ts-check
import tseslint from 'typescript-eslint';

/** Modules that only adapters (cli, tui, bot, sandbox server) may import. */
const adapterOnly = ['@slack/bolt', '@slack/*', 'ink', 'ink-*', 'react', 'react/*', 'node:http', 'http', 'node:https', 'https'];
const adapterDirs = ['**/tui/**', '**/bot/**', '**/sandbox/**', '**/cli', '**/cli.js'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The engine, the checks and the IAM evaluator decide; adapters render. Keep them apart.
    files: ['src/scenarios/**/*.ts', 'src/checks/**/*.ts', 'src/iam/**/*.ts', 'src/resources/**/*.ts', 'src/store/**/*.ts'],
    // tests may drive adapters end to end; the boundary is for the code that ships
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: adapterOnly.filter((p) => !p.includes('*')).map((name) => ({ name, message: 'engine code must not import an adapter library' })),
        patterns: [
          { group: adapterOnly.filter((p) => p.includes('*')), message: 'engine code must not import an adapter library' },
          { group: adapterDirs, message: 'engine code must not import an adapter (cli, tui, bot, sandbox)' },
        ],
      }],
    },
  },
);
