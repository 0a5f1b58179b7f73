import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DevtoolsRow } from '../../bench/heap-devtools.js';
import type { LoadedSnapshot } from '../../src/core/heapsnapshot/load.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const PROBES = 50_000;

/**
 * A real snapshot from a fresh Node process holding PROBES instances of `class UnreadProbe`,
 * written by Node's own v8.writeHeapSnapshot or by the `heapdump` addon (the two writers
 * compare-unread's child uses).
 */
export function writeProbeSnapshot(path: string, writer: 'v8' | 'heapdump', node = process.execPath): void {
  const write =
    writer === 'v8'
      ? `require('node:v8').writeHeapSnapshot(path)`
      : `require(require.resolve('heapdump', { paths: [${JSON.stringify(REPO)}] })).writeSnapshot(path)`;
  const script = `
    class UnreadProbe { constructor(i) { this.i = i; } }
    globalThis.probes = Array.from({ length: ${PROBES} }, (_, i) => new UnreadProbe(i));
    const path = ${JSON.stringify(path)};
    ${write};`;
  execFileSync(node, ['-e', script], { stdio: 'pipe' });
}

export function heapdumpInstalled(): boolean {
  try {
    execFileSync(process.execPath, ['-e', `require(require.resolve('heapdump', { paths: [${JSON.stringify(REPO)}] }))`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** The obvious way, for snapshots small enough for it: JSON.parse the file, walk the nodes (bench:heap-summary's baseline). */
export { groupWholeSnapshot as referenceGroups } from '../../bench/whole-snapshot.js';

/** `bytes` cut into pieces of `size` (the last one shorter): every boundary a reader may meet. */
export function* chunksOf(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Map → plain object with sorted keys, so two groupings compare whatever their insertion order. */
export function sorted(rows: Map<string, unknown>): Record<string, unknown> {
  return Object.fromEntries([...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Runs `body` in a fresh Node process; `snap(i)` inside it writes snapshot i to paths[i]
 * (v8.writeHeapSnapshot, which collects garbage first).
 */
export function writeSnapshotsOf(body: string, paths: string[]): void {
  const script = `const snap = (i) => require('node:v8').writeHeapSnapshot(${JSON.stringify(paths)}[i]);\n${body}`;
  execFileSync(process.execPath, ['-e', script], { stdio: 'pipe' });
}

/** imdiag's rows keyed as DevTools keys them. */
export function rowsOf(loaded: LoadedSnapshot): Map<string, DevtoolsRow> {
  const { classes } = loaded;
  const rows = new Map<string, DevtoolsRow>();
  classes.keys.forEach((key, id) => {
    if (classes.count[id]! > 0)
      rows.set(key, { name: classes.names[id]!, count: classes.count[id]!, shallow: classes.selfSize[id]!, retained: classes.retainedSize[id]! });
  });
  return rows;
}
