// Lint: typed typescript-eslint rules everywhere, plus the layer boundaries of the architecture:
// the engine knows nothing of VS Code or LSP, the server nothing of the VS Code API.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscodeOnly = { name: 'vscode', message: 'Only client/ and test/e2e/ may use the VS Code API.' };
const lspPatterns = {
  group: ['vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*'],
  message: 'The engine is plain TypeScript: no LSP here.',
};
const noInternals = {
  group: ['**/engine/src/**', '**/protocol/src/**', '**/server/src/**', '**/client/src/**'],
  message: 'Import another layer through its package (@nucleus-topology/…), not its sources.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/out/',
      'dist/',
      'test/fixtures/',
      'examples/',
      '**/*.d.ts',
      '.vscode-test/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeOnly],
          patterns: [
            lspPatterns,
            noInternals,
            {
              group: ['@nucleus-topology/*'],
              message: 'The engine is the bottom layer: it imports no other layer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeOnly],
          patterns: [{ group: ['vscode-languageclient*'], message: 'protocol is shared.' }, noInternals],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeOnly],
          patterns: [
            { group: ['vscode-languageclient*'], message: 'The server speaks LSP only.' },
            noInternals,
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode-languageserver', 'vscode-languageserver/*'],
              message: 'The client does not host the server.',
            },
            noInternals,
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noInternals] }] },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
