import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupSnapshot, groupSnapshotFile } from '../../src/core/heapsnapshot/self-sizes.js';
import { summariseSnapshot } from '../../src/engines/compare-unread/heap-summary.js';
import { chunksOf, heapdumpInstalled, PROBES, referenceGroups, sorted, writeProbeSnapshot } from '../helpers/heap-snapshots.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A small snapshot in V8's layout with what V8 itself never writes: keys in another order, an
 * unknown key holding brackets and quotes inside strings, and a constructor name with every kind
 * of escape, a surrogate pair and raw UTF-8 (V8 writes \uXXXX and cuts a non-BMP character to its
 * low 16 bits; another writer may not).
 */
const NAME = 'Q"\\xé\u{1F600}\n/é😀';
const handBuilt = [
  '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],',
  '"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic","concatenated string","sliced string"],"string","number","number","number"],',
  '"edge_fields":["type","name_or_index","to_node"]},"node_count":7},',
  '\n"extra":{"a":"]}\\"[","b":[-1.5e3,true,null,{"c":[]}]},',
  '\n"edges":[1,2,5,0,0,0],',
  '\n"nodes":[3,0,1,40,0\n,3,1,3,123456789,2\n,3,0,5,40,0\n,2,2,7,24,0\n,10,2,9,32,0\n,8,3,11,1000,0\n,3,4,13,16,0],',
  '\n"trace_tree":[],"samples":[],"locations":[0,1,2,3],',
  '\n"strings":["ObjectId",',
  String.raw`"Q\"\\x\u00e9\uD83D\uDE00\n\/é😀"`,
  ',"hello","ArrayBuffer","Fresh\\u0041"]}\n',
].join('');
const handBuiltRows = {
  ObjectId: { count: 2, selfSizeBytes: 80 },
  [NAME]: { count: 1, selfSizeBytes: 123_456_789 },
  '(string)': { count: 2, selfSizeBytes: 56 },
  '(native)': { count: 1, selfSizeBytes: 1000 },
  FreshA: { count: 1, selfSizeBytes: 16 },
};

describe('groupSnapshot on a hand-built snapshot', () => {
  const bytes = Buffer.from(handBuilt, 'utf8');
  it('decodes escapes, a surrogate pair and raw UTF-8 in a name, skips what it does not need, whatever the key order', async () => {
    const groups = await groupSnapshot([bytes]);
    expect(sorted(groups.rows)).toEqual(sorted(new Map(Object.entries(handBuiltRows))));
    expect(groups.nodeCount).toBe(7);
  });
  it('gives the same answer at every chunk size, so numbers, escapes and UTF-8 split anywhere', async () => {
    for (let size = 1; size <= 64; size++) {
      const groups = await groupSnapshot(chunksOf(bytes, size));
      expect(sorted(groups.rows), `chunks of ${size} bytes`).toEqual(sorted(new Map(Object.entries(handBuiltRows))));
    }
  });
  it('reads a file 7 bytes at a time', async () => {
    const path = join(dir, 'hand-built.heapsnapshot');
    writeFileSync(path, bytes);
    expect(sorted((await groupSnapshotFile(path, 7)).rows)).toEqual(sorted(new Map(Object.entries(handBuiltRows))));
  });
  it('summarises it: native left out of the ranking and the total, largest first', async () => {
    const path = join(dir, 'hand-built.heapsnapshot');
    writeFileSync(path, bytes);
    const report = await summariseSnapshot(path, 'v8.writeHeapSnapshot');
    expect(report).toMatchObject({ path, sizeBytes: bytes.length, writer: 'v8.writeHeapSnapshot', totalSelfSizeBytes: 123_456_789 + 80 + 56 + 16 });
    expect(report.topByConstructor.map((row) => row.constructor)).toEqual([NAME, 'ObjectId', '(string)', 'FreshA']);
    expect(report.computed).toMatch(
      /^self \(shallow\) size and count per constructor over all 7 nodes of the snapshot, read as a stream .*native nodes \(.*1 KB\) left out/,
    );
  });
  it('a snapshot cut short, or in an order it cannot stream, is reported with the reason instead of a ranking', async () => {
    const cut = join(dir, 'cut.heapsnapshot');
    writeFileSync(cut, bytes.subarray(0, bytes.indexOf('"strings"') + 20));
    expect(await summariseSnapshot(cut, 'heapdump')).toMatchObject({ sizeBytes: statSync(cut).size, totalSelfSizeBytes: 0, topByConstructor: [] });
    expect((await summariseSnapshot(cut, 'heapdump')).computed).toMatch(
      /^not summarised: the JSON ends early, at byte \d+ \(in "strings"\); open it in Chrome DevTools$/,
    );
    await expect(groupSnapshot([Buffer.from('{"strings":[],"snapshot":{},"nodes":[]}')])).rejects.toThrow('"strings" comes before "nodes"');
    await expect(groupSnapshot([Buffer.from(handBuilt.replace('"node_count":7', '"node_count":8'))])).rejects.toThrow(
      '"nodes" holds 7 nodes where the header says 8',
    );
  });
});

describe('groupSnapshot on real snapshots', () => {
  const writers = heapdumpInstalled() ? (['v8', 'heapdump'] as const) : (['v8'] as const);
  const paths = new Map<string, string>();
  beforeAll(() => {
    for (const writer of writers) {
      const path = join(dir, `${writer}.heapsnapshot`);
      writeProbeSnapshot(path, writer);
      paths.set(writer, path);
    }
  }, 60_000);

  it.each(writers)('%s: streaming equals JSON.parse of the whole file, and UnreadProbe tops the list', async (writer) => {
    const path = paths.get(writer)!;
    const streamed = await groupSnapshotFile(path);
    expect(sorted(streamed.rows)).toEqual(sorted(referenceGroups(path)));
    const report = await summariseSnapshot(path, writer === 'v8' ? 'v8.writeHeapSnapshot' : 'heapdump');
    const probe = report.topByConstructor.find((row) => row.constructor === 'UnreadProbe');
    expect(probe?.count).toBeGreaterThanOrEqual(PROBES);
    expect(report.topByConstructor.reduce((sum, row) => sum + row.selfSizeBytes, 0)).toBeLessThanOrEqual(report.totalSelfSizeBytes);
  });

  it('v8: 7-byte chunks give the same answer as 1 MB reads', async () => {
    const path = paths.get('v8')!;
    const whole = await groupSnapshotFile(path);
    const small = await groupSnapshot(chunksOf(readFileSync(path), 7));
    expect(sorted(small.rows)).toEqual(sorted(whole.rows));
    expect(small.nodeCount).toBe(whole.nodeCount);
  });
});
