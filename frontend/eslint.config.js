// SPDX-License-Identifier: Apache-2.0
// Lint rules: TypeScript (type-aware), React hooks, accessibility, and the one-way import
// boundaries of the layout: shared code → features → app, and no feature importing another.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = ['identity', 'patients', 'audit'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/types/openapi.gen.ts', 'e2e-output'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y, 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'off',
      // Form libraries take async submit handlers; their promise is handled inside.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      'jsx-a11y/no-autofocus': ['error', { ignoreNonDOM: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[object.name=/^(localStorage|sessionStorage)$/]',
          message:
            'No web storage: patient data must never be persisted in the browser (lib/i18n keeps the language choice).',
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*/../*'], message: 'Use the @/ alias across folders.' }] },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            // Features never reach into another feature: the app composes them.
            ...features.map((f) => ({
              target: `./src/features/${f}`,
              from: './src/features',
              except: [`./${f}`],
              message: 'Compose features in src/app, not in each other.',
            })),
            // Features and shared code never import the app layer.
            { target: './src/features', from: './src/app' },
            {
              target: ['./src/components', './src/lib', './src/utils', './src/config', './src/types', './src/testing'],
              from: ['./src/features', './src/app'],
              message: 'Shared code is used by features and the app, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'src/testing/**', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'vite.config.ts', 'vitest.e2e.config.ts', 'scripts/**'],
    ...tseslint.configs.disableTypeChecked,
  },
);
