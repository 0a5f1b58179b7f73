/**
 * Real programs' heaps for `bench:heap`: heaps no one here shaped, so the rows (object-literal
 * shapes, arrays with their stores, Maps with their tables) are what a user's program gives.
 *
 *   babel   @babel/parser's ASTs of `node_modules` JavaScript (files in sorted path order, until
 *           --babel-mb of source is parsed), kept in a Map as `{ast, size}`: millions of nodes of
 *           a few dozen literal shapes and classes, the kind of heap a bundler or linter holds.
 *   spider  examples/spider/server.js after load: samples POSTed to /api/data until the chart
 *           holds its --points, with socket.io, ws, express and prom-client loaded; written with
 *           Node's --heapsnapshot-signal, as an operator would take it from a running server.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoPath } from './repo.js';
import { startSpiderExample } from './spider-example.js';

export interface WrittenHeap {
  what: string;
  heapUsedBytes: number;
  writeMs: number;
}

/** Parses node_modules JavaScript with @babel/parser in a fresh process until `sourceMB`, holds the ASTs, writes a snapshot. */
export function writeBabelHeap(path: string, sourceMB: number): WrittenHeap {
  const script = `
    const { readdirSync, readFileSync, statSync } = require('node:fs');
    const { join } = require('node:path');
    const parser = require(require.resolve('@babel/parser', { paths: [${JSON.stringify(repoPath('.'))}] }));
    const files = [];
    (function walk(dir) {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        const info = statSync(path, { throwIfNoEntry: false });
        if (!info) continue;
        if (info.isDirectory()) walk(path);
        else if (/\\.(c|m)?js$/.test(name) && info.size < 2_000_000) files.push(path);
      }
    })(${JSON.stringify(repoPath('node_modules'))});
    const asts = new Map();
    let bytes = 0;
    for (const file of files) {
      if (bytes >= ${sourceMB} * 1024 * 1024) break;
      const code = readFileSync(file, 'utf8');
      try {
        const ast = parser.parse(code, { sourceType: 'unambiguous', errorRecovery: true, plugins: ['jsx', 'typescript'] });
        asts.set(file, { ast, size: code.length });
        bytes += code.length;
      } catch {}
    }
    globalThis.asts = asts;
    const heapUsedBytes = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    require('node:v8').writeHeapSnapshot(${JSON.stringify(path)});
    console.log(JSON.stringify({ what: asts.size + ' files, ' + (bytes / 1048576).toFixed(1) + ' MB of JavaScript parsed by @babel/parser', heapUsedBytes, writeMs: Number(process.hrtime.bigint() - started) / 1e6 }));`;
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as WrittenHeap;
}

/** The Spider example after `posts` POSTs, snapshotted through --heapsnapshot-signal into `path`'s folder. */
export async function writeSpiderHeap(path: string, posts: number): Promise<WrittenHeap> {
  const dir = join(path, '..');
  const server = await startSpiderExample({ nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`], args: ['--points', '5000'] });
  try {
    const url = `http://127.0.0.1:${server.port}/api/data`;
    for (let i = 0; i < posts; i++) {
      const body = JSON.stringify({ t: Date.now(), op: `op-${i % 40}`, ms: i % 97, seq: i, data: { user: `u${i % 300}`, tags: ['a', 'b'] } });
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.arrayBuffer();
    }
    const before = new Set(readdirSync(dir));
    const started = process.hrtime.bigint();
    server.child.kill('SIGUSR2');
    const written = await waitForSnapshot(dir, before);
    const writeMs = Number(process.hrtime.bigint() - started) / 1e6;
    renameSync(written, path);
    return { what: `examples/spider/server.js after ${posts.toLocaleString('en-US')} POSTs`, heapUsedBytes: NaN, writeMs };
  } finally {
    await server.stop();
  }
}

/** Node writes Heap.<date>.<pid>….heapsnapshot; it is complete when its size stops changing and it ends in `]}`. */
async function waitForSnapshot(dir: string, before: Set<string>): Promise<string> {
  let last = -1;
  for (let waited = 0; waited < 600_000; waited += 250) {
    await sleep(250);
    const name = readdirSync(dir).find((file) => !before.has(file) && file.endsWith('.heapsnapshot'));
    if (!name) continue;
    const size = statSync(join(dir, name)).size;
    if (size > 0 && size === last) return join(dir, name);
    last = size;
  }
  throw new Error(`no heap snapshot appeared in ${dir} within 10 minutes`);
}
