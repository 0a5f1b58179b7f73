import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `code` as if it were the file at `filePath` (which need not exist). */
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

/** `import … from spec` and `await import(spec)`: each must be refused on its own. */
function bothForms(spec: string): string[] {
  return [`import * as imported from '${spec}';\nexport const all = [imported];\n`, `export const imported = await import('${spec}');\n`];
}

const BOUNDARY = 'import-x/no-restricted-paths';

// The layering of docs/architecture.md, as eslint.config.js enforces it: every rule fires for a
// static import and for a dynamic import() alike, on resolved paths (a sibling engine is reached
// as '../flood/x.js', with no layer name in the specifier).
describe('import boundaries', () => {
  const refused: [string, string, string][] = [
    ['an engine imports another engine', 'src/engines/query/example.ts', '../compare-unread/queries.js'],
    ['an engine imports a command', 'src/engines/flood/example.ts', '../../commands/flood/handler.js'],
    ['an engine imports a renderer', 'src/engines/seed/example.ts', '../../report/render.js'],
    ['the core imports an engine', 'src/core/measure/example.ts', '../../engines/query/spec.js'],
    ['the core imports a command', 'src/core/memory/example.ts', '../../commands/watch/options.js'],
    ['the core imports a renderer', 'src/core/heapsnapshot/example.ts', '../../report/heap/terminal.js'],
    ['a result imports an engine', 'src/results/example.ts', '../engines/query/predict.js'],
    ['a result imports the core', 'src/results/example.ts', '../core/memory/trend.js'],
    ['a result imports lib beyond lib/result.ts', 'src/results/example.ts', '../lib/format.js'],
    ['a renderer imports an engine', 'src/report/query/example.ts', '../../engines/query/predict.js'],
    ['a renderer imports the core', 'src/report/flood/example.ts', '../../core/memory/trend.js'],
    ['a renderer imports a command', 'src/report/seed/example.ts', '../../commands/seed/handler.js'],
    ['lib imports a result', 'src/lib/example.ts', '../results/seed.js'],
    ['lib imports the core', 'src/lib/example.ts', '../core/webim/schema.js'],
  ];
  it.each(refused)('refused: %s (static and import())', async (_what, filePath, spec) => {
    for (const code of bothForms(spec)) expect(await ruleIds(code, filePath)).toEqual([BOUNDARY]);
  });

  it.each([['src/engines/watch/example.ts', 'src/core/measure/example.ts', 'src/lib/example.ts', 'src/results/example.ts']])(
    'chalk and cli-table3 stay in renderers and commands: refused in an engine, the core, lib and results',
    async (...files) => {
      for (const filePath of files) {
        for (const name of ['chalk', 'cli-table3']) {
          expect(await ruleIds(`import * as drawing from '${name}';\nexport const all = [drawing];\n`, filePath)).toEqual(['no-restricted-imports']);
          expect(await ruleIds(`export const drawing = await import('${name}');\n`, filePath)).toEqual(['no-restricted-syntax']);
        }
      }
    },
  );

  const allowed: [string, string, string][] = [
    ['an engine imports its own modules', 'src/engines/query/example.ts', './predict.js'],
    ['an engine imports the core', 'src/engines/query/example.ts', '../../core/measure/explain.js'],
    ['an engine imports results and lib', 'src/engines/query/example.ts', '../../results/query.js'],
    ['the core imports results', 'src/core/memory/example.ts', '../../results/memory.js'],
    ['the core imports another core part', 'src/core/measure/example.ts', '../heapsnapshot/write.js'],
    ['a result imports another result', 'src/results/example.ts', './memory.js'],
    ['a result imports lib/result.ts', 'src/results/example.ts', '../lib/result.js'],
    ['a renderer imports results and lib', 'src/report/query/example.ts', '../../lib/format.js'],
    ['a command imports an engine and the core', 'src/commands/query/example.ts', '../../engines/query/run.js'],
  ];
  it.each(allowed)('allowed: %s (static and import())', async (_what, filePath, spec) => {
    for (const code of bothForms(spec)) expect(await ruleIds(code, filePath)).toEqual([]);
  });
});

describe('file size', () => {
  it('a source file over the limit is refused (max-lines)', async () => {
    const long = Array.from({ length: 260 }, (_, i) => `export const line${i} = ${i};`).join('\n');
    expect(await ruleIds(`${long}\n`, 'src/core/measure/example.ts')).toContain('max-lines');
    expect(await ruleIds('export const short = 1;\n', 'src/core/measure/example.ts')).toEqual([]);
  });
});
