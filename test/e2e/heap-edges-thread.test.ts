import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeProbeSnapshot } from '../helpers/heap-snapshots.js';

// The edges thread exists only in the build (dist/): the worker is compiled JavaScript.
const LOAD = fileURLToPath(new URL('../../dist/core/heapsnapshot/load.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads `path` in a fresh process, with the edges thread (from 0 bytes) or without; a digest of everything the load gives, or the error. */
function loadIn(path: string, thread: boolean): { digest?: string; threadMs?: number; pathsThreadMs?: number; error?: string } {
  const script = `
    import { createHash } from 'node:crypto';
    import { loadSnapshot } from ${JSON.stringify(LOAD)};
    try {
      const l = await loadSnapshot(${JSON.stringify(path)}, undefined, undefined, { edgesThreadFrom: ${thread ? 0 : 'Infinity'} });
      const hash = createHash('sha1');
      for (const a of [l.graph.nodeId, l.graph.nodeName, l.graph.selfSize, l.dominance.dominator, l.dominance.retained, l.paths.from, l.paths.label, l.globals])
        hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      hash.update(JSON.stringify([l.classes.keys, l.classes.names, [...l.classes.count], [...l.classes.selfSize], [...l.classes.retainedSize], [...l.graph.strings]]));
      console.log(JSON.stringify({ digest: hash.digest('hex'), threadMs: l.phases.read.edgesThreadMs, pathsThreadMs: l.phases.paths.threadMs }));
    } catch (error) {
      console.log(JSON.stringify({ error: error.message }));
    }`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as ReturnType<typeof loadIn>;
}

describe('heap: the edges read by a thread of their own (and the shortest paths searched in another)', () => {
  const good = join(dir, 'probes.heapsnapshot');
  writeProbeSnapshot(good, 'v8');
  const text = readFileSync(good, 'latin1');
  const edgesAt = text.indexOf('"edges":[') + '"edges":['.length;

  it('gives the same graph, tree, paths, strings and classes as one thread', () => {
    const one = loadIn(good, false);
    const two = loadIn(good, true);
    expect(one.error).toBeUndefined();
    expect(two.digest).toBe(one.digest);
    expect(one.threadMs).toBe(0);
    expect(two.threadMs).toBeGreaterThan(0);
    // The shortest paths get a thread of their own where the edges are shared, and only there.
    expect(one.pathsThreadMs).toBe(0);
    expect(two.pathsThreadMs).toBeGreaterThan(0);
  });

  it('finds the edges where their key straddles two 1 MB reads', () => {
    // Spaces before the key (JSON allows them) put its quote 3 bytes before a MB boundary.
    const keyAt = text.indexOf('"edges":[');
    const MB = 1024 * 1024;
    const straddling = join(dir, 'straddling.heapsnapshot');
    writeFileSync(straddling, text.slice(0, keyAt) + ' '.repeat((Math.ceil((keyAt + 3) / MB) * MB - 3 - keyAt) % MB) + text.slice(keyAt), 'latin1');
    expect((readFileSync(straddling, 'latin1').indexOf('"edges"') + 3) % MB).toBe(0);
    expect(loadIn(straddling, true).digest).toBe(loadIn(good, false).digest);
  });

  it('reports a bad edge and a file cut short in the edges with the same words', () => {
    // The first edge's target field moved off a node's first field.
    const first = /^(\d+),(\d+),(\d+)/.exec(text.slice(edgesAt))!;
    const bad = join(dir, 'bad-edge.heapsnapshot');
    writeFileSync(bad, text.slice(0, edgesAt) + `${first[1]},${first[2]},${Number(first[3]) + 1}` + text.slice(edgesAt + first[0].length), 'latin1');
    const cut = join(dir, 'cut.heapsnapshot');
    writeFileSync(cut, text.slice(0, edgesAt + 1000), 'latin1');
    for (const path of [bad, cut]) {
      const one = loadIn(path, false);
      expect(one.error).toMatch(
        path === bad ? /edge 0 points at node field \d+, not at one of the \d+ nodes/ : /is truncated: it ends at byte \d+.*inside "edges"/,
      );
      expect(loadIn(path, true).error).toBe(one.error);
    }
  });
});
