import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  files: string[];
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** What a user installs with imdiag: a devDependency (autocannon, @memlab/*, express, socket.io …) is not among them. */
const shipped = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
const devOnly = Object.keys(pkg.devDependencies).filter((name) => !shipped.has(name));

/** Every module specifier written as a literal: static and side-effect imports, re-exports, import(), require(), createRequire(…)(…). */
// A specifier never starts with a comma or a space: text such as `'called from', 'objects'` is not an import.
function specifiers(code: string): string[] {
  const found = code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire(?:\.resolve)?\s*\(\s*|\)\s*\(\s*)(['"])([^'"\n,\s][^'"\n]*)\1/g);
  return [...found].map((match) => match[2]!);
}

/** 'mongodb', '@memlab/heap-analysis' from '@memlab/heap-analysis/lib/x'; null for relative paths and Node's own modules. */
function packageOf(specifier: string): string | null {
  if (/^[./]/.test(specifier) || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

// The published package is package.json's `files`: bin/ and dist/, which tsconfig.json compiles
// from src/. Benchmarks live in bench/ and build with tsconfig.bench.json into dist-bench/; they
// import devDependencies (autocannon, @memlab/heap-analysis), which a user of imdiag does not have.
describe('the published build', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'imdiag-published-'));
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', out], { cwd: root, stdio: 'pipe' });
  }, 240_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('ships bin/ and dist/ only, never the benchmarks or their build', () => {
    expect(pkg.files.sort()).toEqual(['README.md', 'bin', 'dist']);
  });

  it('compiles src/ and nothing else: no benchmark file (each output file has its source in src/)', () => {
    const compiled = filesUnder(out).map((file) => relative(out, file));
    expect(compiled.length).toBeGreaterThan(100);
    const outsideSrc = compiled.filter((file) => !existsSync(join(root, 'src', file.replace(/\.js(\.map)?$/, '.ts'))));
    expect(outsideSrc).toEqual([]);
    expect(compiled.filter((file) => file.split('/').includes('bench'))).toEqual([]);
  });

  it('imports no devDependency, statically or dynamically', () => {
    const scanned = [...filesUnder(out).filter((file) => file.endsWith('.js')), ...filesUnder(join(root, 'bin'))];
    const imported = new Map<string, string[]>();
    for (const file of scanned) {
      for (const name of specifiers(readFileSync(file, 'utf8')).map(packageOf)) {
        if (name !== null) imported.set(name, [...(imported.get(name) ?? []), relative(out, file)]);
      }
    }
    // The scan sees the packages imdiag does use, so an empty answer below is not a blind one.
    expect([...imported.keys()]).toEqual(expect.arrayContaining(['mongodb', 'commander', 'chalk', 'undici', 'ws']));
    expect(devOnly.filter((name) => imported.has(name)).map((name) => `${name} in ${imported.get(name)!.join(', ')}`)).toEqual([]);
    expect([...imported.keys()].filter((name) => !shipped.has(name))).toEqual([]);
  });
});

describe('the import scan', () => {
  it('finds every form a benchmark uses to reach a devDependency', () => {
    const code = [
      "import autocannon from 'autocannon';",
      'import "socket.io";',
      "export { x } from 'express';",
      "const memlab = createRequire(import.meta.url)('@memlab/heap-analysis');",
      "const { chromium } = await import('playwright-core');",
      "const client = require('prom-client');",
    ].join('\n');
    expect(specifiers(code).map(packageOf)).toEqual(['autocannon', 'socket.io', 'express', '@memlab/heap-analysis', 'playwright-core', 'prom-client']);
    expect(specifiers(readFileSync(join(root, 'bench/target.ts'), 'utf8'))).toContain('autocannon');
  });

  it("leaves out relative paths and Node's own modules", () => {
    expect(specifiers("import { a } from './a.js'; import fs from 'node:fs'; require('v8');").map(packageOf)).toEqual([null, null, null]);
  });
});
