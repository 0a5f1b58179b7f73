// ESLint flat config: typescript-eslint's recommended rules and the import boundaries of
// docs/architecture.md (an engine never reaches up into a command, a renderer or a terminal library).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The engines: measurement code that returns result objects. */
const ENGINES = ['src/seed/**', 'src/unread/**', 'src/flood/**', 'src/query/**', 'src/heap/**', 'src/watch/**', 'src/target/**'];

/** Static imports and dynamic import() alike: no-restricted-imports does not see import(). */
function forbid(modules, patterns, why) {
  // esquery's regex literals cannot hold a '/': \x2F stands for it.
  const pattern = `(^|\\x2F)(${patterns.join('|')})(\\x2F|$)`;
  return {
    'no-restricted-imports': [
      'error',
      { paths: modules.map((name) => ({ name, message: why })), patterns: [{ regex: `(^|/)(${patterns.join('|')})(/|$)`, message: why }] },
    ],
    'no-restricted-syntax': [
      'error',
      ...modules.map((name) => ({ selector: `ImportExpression[source.value='${name}']`, message: why })),
      { selector: `ImportExpression[source.value=/${pattern}/]`, message: why },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Dropping a reference on purpose (`answer = []`, `stack = null`) lets a collection free it
      // before the next measurement: in a heap tool that is the point, not a useless assignment.
      'no-useless-assignment': 'off',
    },
  },
  {
    // Tests assert that output holds no colour codes: /\x1b\[/ is the point.
    files: ['test/**'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ENGINES,
    rules: forbid(
      ['chalk', 'cli-table3'],
      ['commands', 'report'],
      'engines return result objects: no command, report or presentation module here (docs/architecture.md)',
    ),
  },
  {
    files: ['src/lib/**'],
    rules: forbid(
      ['cli-table3'],
      ['commands', 'report', 'seed', 'unread', 'flood', 'query', 'heap', 'watch', 'target'],
      'src/lib is the bottom layer: it imports nothing above it (docs/architecture.md)',
    ),
  },
  {
    files: ['src/report/**'],
    rules: forbid([], ['commands'], 'renderers read result objects; they never call a command (docs/architecture.md)'),
  },
);
