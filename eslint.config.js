// Import boundaries are the architecture: core stays pure, only ml/ and worker/ touch tfjs.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const tfjs = {
  group: ['@tensorflow/*'],
  message: 'Only src/ml and src/worker may import TensorFlow.js (keeps it off the main thread).',
};

export default tseslint.config(
  {
    ignores: ['e2e/.tmp/**', 'dist', 'node_modules', 'test-results', 'playwright-report', 'public'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ml/**', 'src/worker/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjs] }] },
  },
  {
    // The pure core runs in Node, the worker and the browser: no UI, no tfjs, no DOM.
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'zustand', 'recharts', 'i18next', 'react-i18next'].map(
            (name) => ({ name, message: 'src/core is pure TypeScript: no UI or state libraries.' }),
          ),
          patterns: [
            tfjs,
            { group: ['node:*', 'fs', 'path'], message: 'src/core must run in the browser too.' },
            {
              group: [
                '**/ml/**',
                '**/worker/**',
                '**/state/**',
                '**/features/**',
                '**/components/**',
              ],
              message: 'src/core imports nothing outside src/core.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'self', 'HTMLElement'].map(
          (name) => ({ name, message: 'src/core may not use DOM globals.' }),
        ),
      ],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/state/**/*.ts', 'src/features/**/*.ts', 'src/components/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The service worker's template: the build fills in __PRECACHE__.
    files: ['src/app/sw.template.js'],
    languageOptions: { globals: { ...globals.serviceworker, __PRECACHE__: 'readonly' } },
  },
);
