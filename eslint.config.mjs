// Lint: the recommended rules of ESLint, typescript-eslint and eslint-plugin-svelte over the app, its tests and
// scripts. Formatting is prettier's (.prettierrc.json); `npm run lint` runs both, and CI runs it.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'build/', 'resources/', '**/*.d.ts'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // A leading underscore marks a name kept on purpose (a destructured key left out, a callback's unused argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // Matching control characters is what those patterns are for: ANSI escapes, the names Windows forbids.
      'no-control-regex': 'off',
      // The reference's log lines ("[1,   100] loss: ...") are matched as printed, spaces and all.
      'no-regex-spaces': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    // Tests build malformed payloads and rows on purpose, field by field.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
