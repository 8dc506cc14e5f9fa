import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from './scripts/eslint-globals.js';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Everything the action prints goes through src/shared/log.ts, which keeps untrusted text inert (no
    // workflow command, no line break, no secret); a direct call to @actions/core would bypass it.
    files: ['src/**/*.ts'],
    ignores: ['src/shared/log.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.name='core'][property.name=/^(info|debug|warning|error|notice|setFailed)$/]",
          message:
            'Print through src/shared/log.ts (log.info, log.warning, ...), which keeps text inert.',
        },
      ],
    },
  },
);
