import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/core/heapsnapshot/diff.js';
import { loadSnapshot, type LoadedSnapshot } from '../../src/core/heapsnapshot/load.js';
import { snapshotSummary } from '../../src/core/heapsnapshot/summarise.js';
import { devtoolsSummary } from '../../bench/heap-devtools.js';
import { rowsOf, writeSnapshotsOf } from '../helpers/heap-snapshots.js';
import { revealData } from '../../src/lib/data-strings.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-'));
const ARRAYS = 20;
const PER_ARRAY = 50;
const COPIES = 50_000;
const known = join(dir, 'known.heapsnapshot');

/** A Map holding ARRAYS arrays of PER_ARRAY Items; COPIES copies of one string built at runtime; a closure holding a large array. */
const KNOWN_GRAPH = `
  class Item { constructor(i) { this.i = i; } }
  globalThis.held = new Map();
  for (let a = 0; a < ${ARRAYS}; a++) held.set('k' + a, Array.from({ length: ${PER_ARRAY} }, (_, i) => new Item(i)));
  (() => {
    const base = Array.from({ length: 64 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
    // Array.from(base).join(''): a new flat string each time (split('') would cache its result, keeping base alive).
    globalThis.pushed = Array.from({ length: ${COPIES} }, () => Array.from(base).join(''));
  })(); // a function that returns, so no stack slot of the running script keeps base
  globalThis.getUnreadMsgs = (() => {
    const receipts = Array.from({ length: 100000 }, (_, i) => ({ msgId: i }));
    return function getUnreadMsgs() { return receipts.length; };
  })();
  snap(0);`;
const VALUE = Array.from({ length: 64 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');

let loaded: LoadedSnapshot;
beforeAll(async () => {
  writeSnapshotsOf(KNOWN_GRAPH, [known]);
  loaded = await loadSnapshot(known);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dominatedBy(node: number, ancestor: number): boolean {
  for (let at = loaded.dominance.dominator[node]!; at !== 0; at = loaded.dominance.dominator[at]!) if (at === ancestor) return true;
  return false;
}

describe('imdiag heap on a known graph', () => {
  it("counts every class exactly as DevTools' own code does", async () => {
    const summary = snapshotSummary(loaded, 1000, 0);
    expect(rowsOf(loaded)).toEqual((await devtoolsSummary(known)).rows);
    expect(summary.classes.find((row) => row.className === 'Item')?.count).toBe(ARRAYS * PER_ARRAY);
  });

  it("gives the Map a retained size at least its arrays' self sizes and names it in the retainer path", () => {
    const summary = snapshotSummary(loaded, 10, 0);
    const map = summary.largest.find((object) => object.className === 'Map');
    expect(map).toBeDefined();
    const graph = loaded.graph;
    // The Map's arrays: the Arrays its table holds, each with its elements store and its Items.
    let arraysSelf = 0;
    let items = 0;
    const mapNode = [...Array(graph.nodeCount).keys()].find((node) => graph.nodeId[node] === map!.id)!;
    for (let node = 0; node < graph.nodeCount; node++) {
      const name = loaded.classes.names[loaded.classes.nodeClass[node]!];
      if (name === 'Item') items++;
      if (name === 'Array' && dominatedBy(node, mapNode)) arraysSelf += graph.selfSize[node]!;
    }
    expect(items).toBe(ARRAYS * PER_ARRAY);
    expect(arraysSelf).toBeGreaterThanOrEqual(ARRAYS * 16);
    expect(map!.retainedSizeBytes).toBeGreaterThanOrEqual(arraysSelf + items * 16);
    expect(map!.retainers?.text).toBe('Map ← held in global');
  });

  it('names the closure and its variable on the path to the array it retains', () => {
    const summary = snapshotSummary(loaded, 10, 0);
    const receipts = summary.largest.find((object) => object.name === 'getUnreadMsgs()');
    expect(receipts).toBeDefined();
    expect(receipts!.retainedSizeBytes).toBeGreaterThan(100_000 * 16);
    expect(receipts!.retainers?.text).toBe('getUnreadMsgs() ← getUnreadMsgs in global');
    expect(summary.largest.find((object) => object.name === 'Array' && object.retainers?.text.includes('receipts'))).toBeUndefined();
  });

  it('counts the 50,000 copies of one runtime-built string exactly', () => {
    const summary = snapshotSummary(loaded, 5, 0);
    const top = summary.strings.top[0]!;
    // The value is the process's data, marked for masking in reports (src/lib/data-strings.ts).
    expect(revealData(top.value)).toBe(VALUE);
    expect(top.count).toBe(COPIES);
    expect(top.wastedBytes).toBeCloseTo((top.totalBytes * (COPIES - 1)) / COPIES);
    expect(summary.strings.share).toBeGreaterThan(0.2);
  });
});

describe('imdiag heap diff', () => {
  const paths = ['a', 'b', 'c', 'other'].map((name) => join(dir, `${name}.heapsnapshot`));
  beforeAll(() => {
    writeSnapshotsOf(
      `class Leak { constructor(i) { this.i = i; } }
       globalThis.store = new Map(); globalThis.scratch = [];
       snap(0);
       // In functions that return, so no stack slot of the running script still points at a Leak.
       (() => store.set('kept', Array.from({ length: 700 }, (_, i) => new Leak(i))))();
       (() => { for (let i = 0; i < 300; i++) scratch.push(new Leak(i)); })();
       snap(1);
       scratch.length = 0;
       snap(2);`,
      paths.slice(0, 3),
    );
    writeSnapshotsOf(`globalThis.other = Array.from({ length: 3000 }, (_, i) => ({ ['p' + (i % 7)]: i })); snap(0);`, paths.slice(3));
  }, 60_000);

  it('finds exactly the objects added between A and B and still alive in C', async () => {
    const diff = await diffSnapshots(paths.slice(0, 3), 10, () => undefined);
    expect(diff.sameProcess.sameProcess).toBe(true);
    expect(diff.leaks?.status).toBe('ok');
    if (diff.leaks?.status !== 'ok') return;
    const leaks = diff.leaks.groups.filter((group) => group.className === 'Leak');
    expect(leaks).toHaveLength(1);
    expect(leaks[0]!.count).toBe(700);
    expect(leaks[0]!.path).toMatch(/^Leak ← \[…\] in Array ← \S+ in \(array\) ← table in Map ← store in global$/);
    const row = diff.classes.find((delta) => delta.className === 'Leak')!;
    expect([row.countBefore, row.countAfter, row.newObjects]).toEqual([0, 700, 700]);
  });

  it('counts what was new between two snapshots and gates on retained growth', async () => {
    const diff = await diffSnapshots(paths.slice(0, 2), 10, () => undefined);
    expect(diff.classes.find((delta) => delta.className === 'Leak')).toMatchObject({ countAfter: 1000, newObjects: 1000 });
    expect(diff.maxClassGrowthBytes).toBeGreaterThan(1000 * 16);
  });

  it('says snapshots of different processes are not comparable instead of listing survivors', async () => {
    const diff = await diffSnapshots([paths[0]!, paths[3]!, paths[2]!], 10, () => undefined);
    expect(diff.leaks?.status).toBe('not-comparable');
  });
});

describe('bad input', () => {
  it('names a file that is not a snapshot, a truncated one and a missing one', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    await expect(loadSnapshot(text)).rejects.toThrow(/notes\.txt is not a V8 heap snapshot: unexpected 'h' at byte 0/);
    const json = join(dir, 'other.json');
    writeFileSync(json, '{"a": [1, 2]}');
    await expect(loadSnapshot(json)).rejects.toThrow(/other\.json is not a V8 heap snapshot: no "snapshot" header/);
    const bytes = readFileSync(known);
    const cut = join(dir, 'cut.heapsnapshot');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(loadSnapshot(cut)).rejects.toThrow(
      new RegExp(
        `cut\\.heapsnapshot is truncated: it ends at byte ${Math.floor(bytes.length * 0.6).toLocaleString('en-US')} \\(of [\\d,]+\\), inside "(edges|strings)"`,
      ),
    );
    await expect(loadSnapshot(join(dir, 'missing.heapsnapshot'))).rejects.toThrow(/missing\.heapsnapshot: no such file/);
  });
});
