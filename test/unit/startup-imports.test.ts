import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Static imports that load code (`import type` and `export type … from` load nothing). */
const STATIC = /(?:^|\n)\s*(import|export)(?!\s+type\b)\b[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** The packages src/main.ts loads before any command runs, each with the chain of files that pulls it in. */
function startupPackages(): Map<string, string[]> {
  const entry = resolve(root, 'src/main.ts');
  const parent = new Map<string, string | null>([[entry, null]]);
  const packages = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC)) {
      const specifier = (match[2] ?? match[3])!;
      if (specifier.startsWith('node:')) continue;
      if (!specifier.startsWith('.')) {
        if (packages.has(specifier)) continue;
        const chain: string[] = [];
        for (let at: string | null = file; at; at = parent.get(at) ?? null) chain.push(relative(root, at));
        packages.set(specifier, chain);
        continue;
      }
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (parent.has(target)) continue;
      parent.set(target, file);
      queue.push(target);
    }
  }
  return packages;
}

describe('start-up', () => {
  // Every run of imdiag (`--version`, `--help`, a bad flag answered with exit 2) pays for what main
  // loads before a command's handler is imported: commands lazy-import their handlers, and validators
  // load the driver, the query parser, the HTTP and WebSocket clients only when a value needs them
  // (measured: `imdiag --version` 2.0 s → 0.35 s on this project's 2-core machine).
  it('loads only the command line and the colours: no driver, parser or network client', () => {
    const packages = startupPackages();
    const unexpected = [...packages].filter(([name]) => !['commander', 'chalk'].includes(name));
    expect(unexpected.map(([name, chain]) => `${name} ← ${chain.join(' ← ')}`)).toEqual([]);
    expect([...packages.keys()]).toContain('commander');
  });
});
