// ESLint flat config: typescript-eslint's recommended rules, the ~200-line file limit, and the
// import boundaries of docs/architecture.md. Boundaries are checked on resolved paths
// (eslint-plugin-import-x's no-restricted-paths), so `../flood/x.js` from another engine is caught
// as surely as a bare package name; static imports, re-exports and literal import() alike.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/** One folder per command's engine: src/engines/<command>/. */
export const ENGINES = ['compare-unread', 'flood', 'flood-target', 'heap', 'heap-capture', 'query', 'seed', 'watch', 'leak', 'doctor'];

/** Presentation packages: only renderers (src/report) and the command layer use them. */
const PRESENTATION = ['chalk', 'cli-table3'];

const why = {
  engine: 'an engine imports the core, lib and results, never another engine, a command or a renderer (docs/architecture.md)',
  core: 'the core knows no command: it imports lib, results and other core parts only (docs/architecture.md)',
  results: 'a result type imports only other result types and src/lib/result.ts (docs/architecture.md)',
  report: 'a renderer reads result objects and lib; it never calls a command, an engine or the core (docs/architecture.md)',
  lib: 'src/lib is the bottom layer: it imports nothing above it (docs/architecture.md)',
  presentation: 'only renderers and commands draw: engines, the core and lib return data (docs/architecture.md)',
};

/** Which folders `target` may not import from, as import-x zones (paths from the repository root). */
function zone(target, from, message, except) {
  return { target, from, message, ...(except && { except }) };
}

const zones = [
  ...ENGINES.map((name) => zone(`./src/engines/${name}`, './src/engines', why.engine, [`./${name}`])),
  zone('./src/engines', ['./src/commands', './src/report', './src/cli.ts', './src/main.ts'], why.engine),
  zone('./src/core', ['./src/engines', './src/commands', './src/report', './src/cli.ts', './src/main.ts'], why.core),
  zone('./src/results', ['./src/engines', './src/core', './src/commands', './src/report', './src/cli.ts', './src/main.ts'], why.results),
  zone('./src/results', './src/lib', why.results, ['./result.ts']),
  zone('./src/report', ['./src/engines', './src/core', './src/commands', './src/cli.ts', './src/main.ts'], why.report),
  zone('./src/lib', ['./src/engines', './src/core', './src/results', './src/commands', './src/report', './src/cli.ts', './src/main.ts'], why.lib),
];

/** Packages are not paths: the same rule for bare names, statically and through import(). */
function forbidPackages(names, message) {
  return {
    'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message })) }],
    'no-restricted-syntax': ['error', ...names.map((name) => ({ selector: `ImportExpression[source.value='${name}']`, message }))],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'coverage/**'] },
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
    // One concern per file (docs/architecture.md): split by behaviour when a file outgrows this.
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 200, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // `./x.js` in TypeScript source names `./x.ts`.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
  },
  {
    files: ['src/engines/**', 'src/core/**', 'src/lib/**', 'src/results/**'],
    ignores: ['src/lib/style.ts'],
    rules: forbidPackages(PRESENTATION, why.presentation),
  },
);
