import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devtoolsDiff, devtoolsSummary, type DevtoolsRow } from '../../bench/heap-devtools.js';
import { diffSnapshots } from '../../src/core/heapsnapshot/diff.js';
import { EDGE_TYPE_BITS, EDGE_TYPE_MASK } from '../../src/core/heapsnapshot/graph.js';
import { loadSnapshot, type LoadedSnapshot } from '../../src/core/heapsnapshot/load.js';
import { rowsOf, writeSnapshotsOf } from '../helpers/heap-snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-devtools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The node a global property names (`globalThis.NAME = …`). */
function globalProperty(loaded: LoadedSnapshot, name: string): number {
  const { graph } = loaded;
  const global = [...Array(graph.firstEdge[1]! - graph.firstEdge[0]!).keys()]
    .map((i) => graph.firstEdge[0]! + i)
    .filter((e) => (graph.edgeNameType[e]! & EDGE_TYPE_MASK) === loaded.types.edgeShortcut)
    .map((e) => graph.edgeTo[e]!);
  for (const holder of global) {
    for (let e = graph.firstEdge[holder]!; e < graph.firstEdge[holder + 1]!; e++) {
      if (graph.strings.get(graph.edgeNameType[e]! >>> EDGE_TYPE_BITS) === name) return graph.edgeTo[e]!;
    }
  }
  throw new Error(`no global ${name}`);
}

describe('imdiag heap gives the rows of DevTools Summary', () => {
  const path = join(dir, 'literals.heapsnapshot');
  let loaded: LoadedSnapshot;
  let devtools: Map<string, DevtoolsRow>;
  beforeAll(async () => {
    // String values, so each literal has property edges (V8 writes none for small integers).
    writeSnapshotsOf(
      `class Foo { constructor() { this.x = 'X'; this.y = 'Y'; } }
       globalThis.ab = Array.from({ length: 1000 }, () => ({ a: 'A', b: 'B' }));
       globalThis.abc = Array.from({ length: 700 }, () => ({ a: 'A', b: 'B', c: 'C' }));
       globalThis.foos = Array.from({ length: 500 }, () => new Foo());
       globalThis.thousand = Array.from({ length: 1000 }, (_, i) => i);
       snap(0);`,
      [path],
    );
    loaded = await loadSnapshot(path, undefined, undefined, { keepEdges: true });
    devtools = (await devtoolsSummary(path)).rows;
  }, 120_000);

  it('names literals by shape: {a, b}, {a, b, c} and the class, with the counts DevTools gives', () => {
    const rows = rowsOf(loaded);
    const byName = (name: string) => [...rows.values()].find((row) => row.name === name);
    // One more literal of each shape than the program made: V8 keeps the literal site's boilerplate.
    expect(byName('{a, b}')?.count).toBe(1001);
    expect(byName('{a, b, c}')?.count).toBe(701);
    expect(byName('Foo')?.count).toBe(500);
    for (const name of ['{a, b}', '{a, b, c}', 'Foo']) {
      const key = [...rows.keys()].find((at) => rows.get(at)!.name === name)!;
      expect(rows.get(key)).toEqual(devtools.get(key));
    }
  });

  it('agrees with DevTools on every row: name, count, shallow and retained size', () => {
    expect(rowsOf(loaded)).toEqual(devtools);
  });

  it("counts an array's elements store in its shallow size and leaves the store out of (array)", () => {
    const array = globalProperty(loaded, 'thousand');
    const { graph } = loaded;
    let store = -1;
    for (let e = graph.firstEdge[array]!; e < graph.firstEdge[array + 1]!; e++)
      if (graph.strings.get(graph.edgeNameType[e]! >>> EDGE_TYPE_BITS) === 'elements') store = graph.edgeTo[e]!;
    expect(store).toBeGreaterThan(0);
    expect(graph.selfSize[store]).toBe(0);
    // 1,000 tagged slots of 8 bytes, plus the JSArray itself.
    expect(graph.selfSize[array]).toBeGreaterThan(8 * 1000);
    expect(loaded.folded).toBe(true);
  });
});

describe('imdiag heap diff names both snapshots with the later one’s shapes', () => {
  const paths = ['before', 'after'].map((name) => join(dir, `${name}.heapsnapshot`));
  beforeAll(
    () =>
      writeSnapshotsOf(
        // Two {p, q} at first: below DevTools' minimum (2 and 1/1000 of the plain objects), so the
        // first snapshot on its own would call them Object.
        `globalThis.ab = Array.from({ length: 3000 }, () => ({ a: 'A', b: 'B' }));
       globalThis.pq = [{ p: 'P', q: 'Q' }];
       snap(0);
       (() => { for (let i = 0; i < 199; i++) pq.push({ p: 'P', q: 'Q' }); })();
       snap(1);`,
        paths,
      ),
    120_000,
  );

  it('shows the added {p, q} and no renamed Object or {a, b} rows, as DevTools does', async () => {
    const diff = await diffSnapshots(paths, 20, () => undefined);
    const rows = new Map(diff.classes.map((row) => [row.className, row]));
    // 199 pushed, plus the boilerplate V8 keeps for the second literal site.
    expect(rows.get('{p, q}')).toMatchObject({ newObjects: 200 });
    expect(rows.get('{p, q}')!.countAfter - rows.get('{p, q}')!.countBefore).toBe(200);
    expect(rows.get('Object')?.countAfter ?? 0).toBe(rows.get('Object')?.countBefore ?? 0);
    expect(rows.has('{a, b}')).toBe(false);
    const devtools = [...(await devtoolsDiff(paths[0]!, paths[1]!)).values()];
    expect(devtools.find((row) => row.name === '{p, q}')).toMatchObject({ added: 200, removed: 0 });
    expect(devtools.find((row) => row.name === 'Object')?.removed ?? 0).toBe(0);
    expect(devtools.find((row) => row.name === '{a, b}')).toBeUndefined();
  });
});
