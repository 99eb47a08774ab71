// Shared ESLint flat config. A package's eslint.config.mjs is one line:
//   export { default } from '@only1mcp/eslint-config';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', '.jest-results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Packages talk to each other only through their public entry point.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@only1mcp/*/src/*', '@only1mcp/*/dist/*'], message: 'Import the package, not its internals.' }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
);
