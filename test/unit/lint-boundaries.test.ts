import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: root }).lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

// The layering of docs/architecture.md, as eslint.config.js enforces it.
describe('import boundaries', () => {
  it.each([
    'src/unread/example.ts',
    'src/flood/example.ts',
    'src/seed/example.ts',
    'src/query/example.ts',
    'src/heap/example.ts',
    'src/watch/example.ts',
    'src/target/example.ts',
  ])('%s may not import a command, a renderer, chalk or cli-table3, statically or with import()', async (filePath) => {
    const code = [
      "import chalk from 'chalk';",
      "import Table from 'cli-table3';",
      "import { seed } from '../commands/seed.js';",
      "import { renderReport } from '../report/render.js';",
      "export const all = [chalk, Table, seed, renderReport, await import('../commands/seed.js'), await import('../report/render.js'), await import('chalk')];",
    ].join('\n');
    const rules = await ruleIds(code, filePath);
    expect(rules.filter((rule) => rule === 'no-restricted-imports')).toHaveLength(4);
    expect(rules.filter((rule) => rule === 'no-restricted-syntax')).toHaveLength(3);
  });

  it('an engine may import src/lib and its own modules', async () => {
    const code =
      "import { bytes } from '../lib/format.js';\nimport { forkChild } from '../lib/child/fork.js';\nexport const all = [bytes, forkChild, await import('./other.js')];\n";
    expect(await ruleIds(code, 'src/unread/example.ts')).toEqual([]);
  });
});
