import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSavedResult } from '../../src/report/load.js';
import { FIXTURES } from '../helpers/report-fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TYPES = {
  seed: ['SeedResult', 'src/results/seed.js'],
  'compare-unread': ['CompareUnreadResult', 'src/results/compare-unread.js'],
  'compare-unread-oom': ['CompareUnreadResult', 'src/results/compare-unread.js'],
  flood: ['FloodResult', 'src/results/flood.js'],
  'flood-target': ['FloodTargetResult', 'src/results/flood-target.js'],
  watch: ['WatchResult', 'src/results/watch.js'],
  heap: ['HeapResult', 'src/results/heap.js'],
  'heap-diff': ['HeapDiffResult', 'src/results/heap.js'],
  query: ['QueryResult', 'src/results/query.js'],
} as const;

describe('result fixtures', () => {
  it('each is accepted by imdiag report and is its own command', () => {
    for (const [name, url] of Object.entries(FIXTURES)) {
      const result = parseSavedResult(readFileSync(url, 'utf8'), url.pathname);
      expect(name.startsWith(result.command)).toBe(true);
    }
  });

  // The fixtures must stay true to the result types as those evolve: compile each one as a
  // literal that `satisfies` its type (excess and missing fields, wrong kinds all fail).
  it('type-check against the result types (tsc, satisfies)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imdiag-fixture-types-'));
    try {
      const imports = new Set(Object.values(TYPES).map(([type, path]) => `import type { ${type} } from ${JSON.stringify(join(root, path))};`));
      const checks = Object.entries(TYPES).map(
        ([name, [type]], index) => `export const fixture${index} = ${readFileSync(FIXTURES[name as keyof typeof FIXTURES], 'utf8').trim()} satisfies ${type};`,
      );
      writeFileSync(join(dir, 'fixtures.ts'), `${[...imports].join('\n')}\n${checks.join('\n')}\n`);
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      const args = [
        '--noEmit',
        '--strict',
        '--target',
        'es2022',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--skipLibCheck',
        '--types',
        'node',
        '--typeRoots',
        join(root, 'node_modules/@types'),
        join(dir, 'fixtures.ts'),
      ];
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      expect(output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
