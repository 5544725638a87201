// Lint rules: type-aware typescript-eslint, plus folder boundaries (shared has no Node or DOM,
// renderer has no Node, only electron/main and electron/preload may import 'electron').
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'net',
  'http',
  'https',
  'crypto',
  'child_process',
  'stream',
];
const nodeImportBan = [
  {
    group: ['node:*', ...nodeBuiltins],
    message:
      'No Node APIs here: go through window.airlock (renderer/lib/api.ts) or move the code to electron/core.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'out',
      'dist',
      'test-results',
      'playwright-report',
      'e2e/artifacts',
      'build/*.mjs',
      '*.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'off',
    },
  },
  {
    files: [
      'electron/core/**',
      'electron/emulator/**',
      'electron/cli/**',
      'shared/**',
      'renderer/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only electron/main and electron/preload import electron; put the logic in electron/core behind a port.',
            },
          ],
        },
      ],
    },
  },
  {
    // The sandbox's agent is a second, independent implementation of the protocol: it shares the
    // frame codec, core/base and the Clock/Logger ports with the client, and nothing else.
    files: ['electron/emulator/**'],
    ignores: ['**/*.test.ts', 'electron/emulator/agent/test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only electron/main and electron/preload import electron; put the logic in electron/core behind a port.',
            },
          ],
          patterns: [
            {
              regex: '(^|/)core/(?!datachannel/codec/|ports/(clock|logger)$|base(/|$))',
              message:
                'The emulator may use only core/datachannel/codec, core/base and the Clock/Logger ports of the client; write the agent side in electron/emulator.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only electron/main and electron/preload import electron.',
            },
          ],
          patterns: nodeImportBan,
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
