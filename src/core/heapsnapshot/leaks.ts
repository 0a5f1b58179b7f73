import { labelOf } from './graph.js';
import { shownEdgeName } from './data-names.js';
import type { LoadedSnapshot } from './load.js';
import { NONE } from './paths.js';
import type { LeakGroup } from '../../results/heap.js';
import { describeNode, objectRow } from './summarise.js';

/**
 * A numbered internal edge: a slot of a Map's or Set's hash table (V8 names them by index). As
 * with an array's elements, the entries of one Map (a cache, a set of clients) share one path.
 */
function isSlot(label: { type: string; name: string }): boolean {
  return label.type === 'internal' && /^\d+$/.test(label.name);
}

/** Sorted ids (Uint32Array) → membership by binary search. */
export function hasId(sorted: Uint32Array, id: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid]!;
    if (at === id) return true;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Retainer paths as ids, node by node (element indices and hash-table slots written […], so the
 * 10,000 items of one array or Map share a path). Paths are interned node by node, so each distinct path is built once.
 */
export function retainerPaths(last: LoadedSnapshot): { pathOf(node: number): number; text(path: number): string } {
  const { graph, classes } = last;
  const { from, label: labels } = last.paths;
  const pathOf = new Int32Array(graph.nodeCount).fill(-1);
  const interned = new Map<string, number>();
  const texts: string[] = [];
  const intern = (key: string, text: string) => {
    let id = interned.get(key);
    if (id === undefined) {
      id = texts.length;
      interned.set(key, id);
      texts.push(text);
    }
    return id;
  };
  const unreachable = intern('unreachable', '(not reachable from the GC roots)');
  const root = intern('root', '');
  const pathId = (node: number): number => {
    if (from[node] === NONE) return unreachable;
    const chain: number[] = [];
    let at = node;
    while (at !== 0 && pathOf[at]! < 0 && from[at] !== NONE) {
      chain.push(at);
      at = from[at]!;
    }
    let base = at === 0 ? root : pathOf[at]! >= 0 ? pathOf[at]! : unreachable;
    for (let i = chain.length - 1; i >= 0; i--) {
      const step = chain[i]!;
      const label = labelOf(graph, labels[step]!);
      const edge = label.type === 'element' || isSlot(label) ? '[…]' : shownEdgeName(label.type, label.name);
      const name = describeNode(last, step).node;
      const below = texts[base]!;
      base = intern(`${base}\u0000${edge}\u0000${classes.nodeClass[step]}`, below === '' ? name : `${name} ← ${edge} in ${below}`);
      pathOf[step] = base;
    }
    return base;
  };
  return { pathOf: pathId, text: (path) => texts[path]! };
}

/** The objects of the last snapshot whose ids are in `allocated`, grouped by class and retainer path, largest groups first. */
export function groupSurvivors(last: LoadedSnapshot, allocated: Uint32Array, top: number): { count: number; bytes: number; groups: LeakGroup[] } {
  const { graph } = last;
  const paths = retainerPaths(last);
  const groups = new Map<number, { count: number; bytes: number; example: number }>();
  let count = 0;
  let bytes = 0;
  for (let node = 1; node < graph.nodeCount; node++) {
    if (!hasId(allocated, graph.nodeId[node]!)) continue;
    const size = graph.selfSize[node]!;
    count++;
    bytes += size;
    const id = paths.pathOf(node);
    const group = groups.get(id);
    if (group) {
      group.count++;
      group.bytes += size;
    } else groups.set(id, { count: 1, bytes: size, example: node });
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top);
  return {
    count,
    bytes,
    groups: sorted.map(([id, group]) => {
      const example = objectRow(last, group.example);
      return { className: example.className, path: paths.text(id), count: group.count, selfSizeBytes: group.bytes, example };
    }),
  };
}
