import type { LoadedSnapshot } from './load.js';
import type { SameProcessCheck } from '../../results/heap.js';
import { percent } from '../../lib/format.js';

/**
 * Why ids of two snapshots of one process may not match, and the way to snapshots whose ids do:
 * V8's inspector disables a session's HeapProfiler agent when the session ends, and disabling it
 * clears the object ids (V8HeapProfilerAgentImpl::disable → HeapProfiler::ClearObjectIds,
 * https://chromium.googlesource.com/v8/v8/+/refs/heads/main/src/inspector/v8-heap-profiler-agent-impl.cc),
 * so the next session numbers every object afresh, from the same first id.
 */
export const NOT_ONE_SESSION =
  'not taken in one inspector session: V8 numbers heap objects afresh whenever a session ends (disabling its HeapProfiler clears the ids), so snapshots from two sessions — two `heap capture` runs, even of one process — or from two processes never share ids; take both in one session: imdiag heap capture --count 2 --every 30s';

/** Below these, ids of two snapshots do not name the same objects (see checkSameProcess). */
export const MIN_CLASS_AGREEMENT = 0.9;
export const MIN_IDS_KEPT = 0.01;
const CLASS_BITS = 2 ** 21;

/**
 * The node ids of one snapshot with each node's class, sorted by id, so a later snapshot can ask
 * "did this object exist then, and as what?" by binary search. One Float64 a node: id × 2^21 +
 * class (ids are 32-bit; a snapshot has far fewer than 2^21 classes).
 */
export interface IdIndex {
  keys: Float64Array;
  classNames: string[];
  maxId: number;
  /** Nodes with odd ids: heap objects, not embedder nodes. */
  objectCount: number;
}

export function indexIds(loaded: LoadedSnapshot): IdIndex {
  const { graph } = loaded;
  const classes = constructorClasses(loaded);
  if (classes.names.length >= CLASS_BITS) throw new Error(`${classes.names.length} classes: more than the id index holds`);
  const keys = new Float64Array(graph.nodeCount);
  let maxId = 0;
  let objectCount = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    const id = graph.nodeId[node]!;
    keys[node] = id * CLASS_BITS + classes.nodeClass[node]!;
    if (id % 2 === 0) continue;
    objectCount++;
    if (id > maxId) maxId = id;
  }
  keys.sort();
  return { keys, classNames: classes.names, maxId, objectCount };
}

/** The class index (in index.classNames) of the node with this id, or -1. */
export function classOfId(index: IdIndex, id: number): number {
  const { keys } = index;
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const midId = Math.floor(keys[mid]! / CLASS_BITS);
    if (midId === id) return keys[mid]! - midId * CLASS_BITS;
    if (midId < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * V8 gives each heap object an id when a snapshot first sees it and keeps it for the object's
 * life (or until an inspector session ends: NOT_ONE_SESSION), counting up by 2 (odd ids; even
 * ones are native/embedder nodes), per process. So in two snapshots of one process and one
 * session, taken in order: the later one's largest id is not smaller, many of
 * the earlier one's objects are still there under the same id, and such an object still has the
 * same constructor. Snapshots of different processes fail the last two (ids name unrelated
 * objects). Two processes that ran the same startup code assign their startup objects the same
 * ids, which no check over ids can tell apart; objects allocated later differ.
 */
export function checkSameProcess(
  earlier: IdIndex,
  later: LoadedSnapshot,
  laterName: string,
  earlierName: string,
): SameProcessCheck & { laterToEarlierClass: Int32Array } {
  const { graph } = later;
  const classes = constructorClasses(later);
  const laterToEarlierClass = new Int32Array(classes.names.length).fill(-1);
  const earlierByName = new Map(earlier.classNames.map((name, id) => [name, id]));
  classes.names.forEach((name, id) => (laterToEarlierClass[id] = earlierByName.get(name) ?? -1));
  let kept = 0;
  let agree = 0;
  let laterMax = 0;
  for (let node = 0; node < graph.nodeCount; node++) {
    const id = graph.nodeId[node]!;
    if (id % 2 === 0) continue;
    if (id > laterMax) laterMax = id;
    const cls = classOfId(earlier, id);
    if (cls < 0) continue;
    kept++;
    if (laterToEarlierClass[classes.nodeClass[node]!] === cls) agree++;
  }
  const earlierObjects = earlier.objectCount;
  const idsKept = earlierObjects > 0 ? kept / earlierObjects : 0;
  const classAgreement = kept > 0 ? agree / kept : 0;
  const pct = (x: number) => percent(x);
  let reason: string;
  let sameProcess = false;
  if (laterMax < earlier.maxId)
    reason = `${laterName}'s largest object id (${laterMax}) is below ${earlierName}'s (${earlier.maxId}): taken earlier, or ${NOT_ONE_SESSION}`;
  else if (idsKept < MIN_IDS_KEPT) reason = `only ${pct(idsKept)} of ${earlierName}'s object ids occur in ${laterName}: ${NOT_ONE_SESSION}`;
  else if (classAgreement < MIN_CLASS_AGREEMENT)
    reason = `${pct(1 - classAgreement)} of the ids both snapshots share name objects of different classes: ${NOT_ONE_SESSION}`;
  else {
    sameProcess = true;
    reason = `${pct(idsKept)} of ${earlierName}'s object ids are still in ${laterName}, ${pct(classAgreement)} of them with the same class`;
  }
  return { sameProcess, idsKept, classAgreement, reason, laterToEarlierClass };
}

/**
 * Classes by constructor: plain objects all `Object`, whatever their shape, since an object keeps
 * its constructor for life but a literal may gain a property between two snapshots.
 */
function constructorClasses(loaded: LoadedSnapshot): { names: string[]; nodeClass: Uint32Array } {
  const { classes, plain } = loaded;
  if (plain.nodes.length === 0) return classes;
  const names = [...classes.names, 'Object'];
  const nodeClass = Uint32Array.from(classes.nodeClass);
  for (const node of plain.nodes) nodeClass[node] = classes.names.length;
  return { names, nodeClass };
}
