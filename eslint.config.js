// Flat config: typescript-eslint's recommended rules on every TypeScript file, with the
// few project conventions spelled out below.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `main.ts` files and the CLI are the only places allowed to touch process.env / exit.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only a main.ts or the CLI entry may exit the process.' },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/main.ts', 'cli/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
