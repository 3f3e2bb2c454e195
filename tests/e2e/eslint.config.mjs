// ESLint for the JavaScript sanpi ships to readers (themes/default/static/) and for the
// browser tests beside this file. Run by ./run: `npx eslint --config eslint.config.mjs`.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    files: ['themes/default/static/**/*.js'],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2020, sourceType: 'script', globals: globals.browser },
    rules: { ...js.configs.recommended.rules, 'no-var': 'error', 'prefer-const': 'error', eqeqeq: 'error' },
  },
  {
    files: ['tests/e2e/*.mjs'],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
];
