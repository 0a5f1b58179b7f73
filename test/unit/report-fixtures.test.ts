import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSavedResult } from '../../src/report/load.js';
import { FIXTURES } from '../helpers/report-fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE_DIR = join(root, 'fixtures');

/**
 * Wrong required-field tables, each with the compiler error it must cause: the tables of
 * src/report/required-fields.ts are checked against the result types the same way.
 */
const WRONG_TABLES = [
  ["{ 'database.nmae': 'string' } satisfies FieldsOf<ResultOf<'seed'>>", /'database\.nmae'' does not exist in type 'FieldsOf<SeedResult>'/],
  ["{ 'load.documents': 'string' } satisfies FieldsOf<ResultOf<'seed'>>", /Type '"string"' is not assignable to type '"number"'/],
  // Optional (absent in older results) or nullable: requiring it would reject results the type allows.
  ["{ embeddedServer: 'object' } satisfies FieldsOf<ResultOf<'seed'>>", /Type '"object"' is not assignable to type '"not required"'/],
  ["{ 'runs[].projection': 'object' } satisfies FieldsOf<ResultOf<'flood'>>", /Type '"object"' is not assignable to type '"not required"'/],
  // A field of one member of a union only (an ok variant's measurement) is not every item's.
  [
    "{ 'queries[].variants[].measurement': 'object' } satisfies FieldsOf<ResultOf<'query'>>",
    /'queries\[\]\.variants\[\]\.measurement'' does not exist in type 'FieldsOf<QueryResult>'/,
  ],
] as const;

/** tsc's diagnostics per file written, from one run over the fixtures and the wrong tables. */
let diagnostics: { fixtures: string; tables: string[] };

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'imdiag-fixture-types-'));
  const imports = [
    `import type { ResultOf } from ${JSON.stringify(join(root, 'src/results/by-command.js'))};`,
    `import type { FieldsOf } from ${JSON.stringify(join(root, 'src/report/shape.js'))};`,
  ].join('\n');
  try {
    // The fixtures must stay true to the result types as those evolve: compile each one as a
    // literal that `satisfies` its command's type (excess and missing fields, wrong kinds all fail).
    const checks = readdirSync(FIXTURE_DIR)
      .filter((name) => name.endsWith('.json'))
      .map((name, index) => {
        const text = readFileSync(join(FIXTURE_DIR, name), 'utf8').trim();
        return `export const fixture${index} = ${text} satisfies ResultOf<${JSON.stringify(JSON.parse(text).command)}>;`;
      });
    writeFileSync(join(dir, 'fixtures.ts'), `${imports}\n${checks.join('\n')}\n`);
    WRONG_TABLES.forEach(([table], index) => writeFileSync(join(dir, `table${index}.ts`), `${imports}\nexport const table = ${table};\n`));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck'];
    const files = ['fixtures.ts', ...WRONG_TABLES.map((_, index) => `table${index}.ts`)].map((name) => join(dir, name));
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, ...args, '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), ...files], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    const of = (file: string) =>
      output
        .split('\n')
        .filter((line) => line.includes(file))
        .join('\n');
    diagnostics = { fixtures: of('fixtures.ts'), tables: WRONG_TABLES.map((_, index) => of(`table${index}.ts`)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

describe('result fixtures', () => {
  it('every file in fixtures/ is a saved result the renderer tests use', () => {
    const listed = Object.values(FIXTURES).map((url) => fileURLToPath(url).slice(FIXTURE_DIR.length + 1));
    expect(readdirSync(FIXTURE_DIR).sort()).toEqual(listed.sort());
  });

  it('each is accepted by imdiag report and is its own command', () => {
    for (const [name, url] of Object.entries(FIXTURES)) {
      const result = parseSavedResult(readFileSync(url, 'utf8'), url.pathname);
      expect(name.startsWith(result.command)).toBe(true);
    }
  });

  it('type-check against the result types (tsc, satisfies)', () => {
    expect(diagnostics.fixtures).toBe('');
  });
});

describe('required-field tables (src/report/required-fields.ts)', () => {
  it.each(WRONG_TABLES.map(([table, error], index) => [table, error, index] as const))('%s does not compile', (_table, error, index) => {
    expect(diagnostics.tables[index]).toMatch(error);
  });
});
