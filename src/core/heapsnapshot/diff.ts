import type { Progress } from '../../lib/progress.js';
import { EDGE_TYPE_MASK } from './graph.js';
import { checkSameProcess, classOfId, indexIds, type IdIndex } from './identity.js';
import { groupSurvivors } from './leaks.js';
import { loadSnapshot, type LoadedSnapshot } from './load.js';
import type { HeapClassDelta, HeapDiffResult, LeakFinding, SameProcessCheck, SnapshotSummary } from '../../results/heap.js';

type SnapshotFacts = Pick<SnapshotSummary, 'path' | 'fileBytes' | 'nodeCount' | 'totalSizeBytes'>;
export type DiffFigures = Pick<
  HeapDiffResult,
  'snapshots' | 'sameProcess' | 'totalGrowthBytes' | 'maxClassGrowthBytes' | 'maxClassGrowthName' | 'classes' | 'leaks'
>;

interface ClassFigures {
  count: number;
  self: number;
  retained: number;
}

/**
 * `heap diff A B [C]`, one snapshot in memory at a time. Per class: count, self and retained size
 * in the first and the last snapshot, and how many of the last one's instances are new (their id
 * is not in the first). With three: the objects allocated between A and B (id in B, not in A)
 * that are still alive in C, grouped by retainer path — unless the ids show the snapshots are not
 * of one process, in order; then that is the finding instead of a list of unrelated objects.
 */
export async function diffSnapshots(
  paths: string[],
  top: number,
  progressFor: (path: string) => ((fileBytes: number) => Progress) | undefined,
  signal?: AbortSignal,
): Promise<DiffFigures> {
  const load = (path: string) => loadSnapshot(path, progressFor(path), signal);
  const first = await load(paths[0]!);
  const firstClasses = classFigures(first);
  const firstIndex = indexIds(first);
  const snapshots: SnapshotFacts[] = [facts(first)];
  releaseGraph(first);

  const second = await load(paths[1]!);
  snapshots.push(facts(second));
  const firstToSecond = checkSameProcess(firstIndex, second, 'B', 'A');
  let last = second;
  let lastCheck: SameProcessCheck = strip(firstToSecond);
  let leaks: LeakFinding | null = null;
  if (paths.length === 3) {
    const allocated = firstToSecond.sameProcess ? newIds(second, firstIndex) : new Uint32Array(0);
    const secondIndex = indexIds(second);
    releaseGraph(second);
    const third = await load(paths[2]!);
    snapshots.push(facts(third));
    const secondToThird = strip(checkSameProcess(secondIndex, third, 'C', 'B'));
    const checks = [strip(firstToSecond), secondToThird];
    const names = paths as [string, string, string];
    if (!firstToSecond.sameProcess || !secondToThird.sameProcess) {
      leaks = { status: 'not-comparable', snapshots: names, checks, reason: (firstToSecond.sameProcess ? secondToThird : firstToSecond).reason };
    } else {
      const survivors = groupSurvivors(third, allocated, top);
      leaks = {
        status: 'ok',
        snapshots: names,
        checks,
        allocatedBetween: allocated.length,
        stillAlive: survivors.count,
        stillAliveBytes: survivors.bytes,
        groups: survivors.groups,
      };
    }
    last = third;
    lastCheck = strip(checkSameProcess(firstIndex, third, 'C', 'A'));
  }
  const classes = classDeltas(firstClasses, last, firstIndex, lastCheck.sameProcess);
  const totalGrowthBytes = snapshots[snapshots.length - 1]!.totalSizeBytes - snapshots[0]!.totalSizeBytes;
  // The global object's class retains nearly everything, so it would always be the one that grew most.
  const globals = globalClasses(last);
  let maxClassGrowthBytes = 0;
  let maxClassGrowthName: string | null = null;
  for (const row of classes) {
    const growth = row.retainedAfter - row.retainedBefore;
    if (growth > maxClassGrowthBytes && !globals.has(row.className)) [maxClassGrowthBytes, maxClassGrowthName] = [growth, row.className];
  }
  return { snapshots, sameProcess: lastCheck, totalGrowthBytes, maxClassGrowthBytes, maxClassGrowthName, classes, leaks };
}

/** Classes of the user's global objects (the root's shortcut edges point at them). */
function globalClasses(loaded: LoadedSnapshot): Set<string> {
  const { graph, types, classes } = loaded;
  const names = new Set<string>();
  for (let e = graph.firstEdge[0]!; e < graph.firstEdge[1]!; e++) {
    if ((graph.edgeNameType[e]! & EDGE_TYPE_MASK) === types.edgeShortcut) names.add(classes.names[classes.nodeClass[graph.edgeTo[e]!]!]!);
  }
  return names;
}

function strip(check: SameProcessCheck & { laterToEarlierClass?: Int32Array }): SameProcessCheck {
  return { sameProcess: check.sameProcess, idsKept: check.idsKept, classAgreement: check.classAgreement, reason: check.reason };
}

function facts(loaded: LoadedSnapshot): SnapshotFacts {
  let total = 0;
  for (let node = 0; node < loaded.graph.nodeCount; node++) total += loaded.graph.selfSize[node]!;
  return { path: loaded.path, fileBytes: loaded.graph.fileBytes, nodeCount: loaded.graph.nodeCount, totalSizeBytes: total };
}

/** Drops the big arrays of a snapshot no longer needed, so the next one can use the memory. */
function releaseGraph(loaded: LoadedSnapshot): void {
  const empty = new Uint32Array(0);
  Object.assign(loaded.graph, { edgeNameType: empty, edgeTo: empty, firstEdge: empty, nodeName: empty, strings: new Map() });
}

function classFigures(loaded: LoadedSnapshot): Map<string, ClassFigures> {
  const rows = new Map<string, ClassFigures>();
  loaded.classes.names.forEach((name, id) =>
    rows.set(name, { count: loaded.classes.count[id]!, self: loaded.classes.selfSize[id]!, retained: loaded.classes.retainedSize[id]! }),
  );
  return rows;
}

/** Ids of objects in `later` that `earlier` lacks (odd ids only: heap objects), sorted. */
function newIds(later: LoadedSnapshot, earlier: IdIndex): Uint32Array {
  const ids = new Uint32Array(later.graph.nodeCount);
  let count = 0;
  for (let node = 0; node < later.graph.nodeCount; node++) {
    const id = later.graph.nodeId[node]!;
    if (id % 2 === 1 && classOfId(earlier, id) < 0) ids[count++] = id;
  }
  return ids.slice(0, count).sort();
}

function classDeltas(before: Map<string, ClassFigures>, last: LoadedSnapshot, firstIndex: IdIndex, idsComparable: boolean): HeapClassDelta[] {
  const after = classFigures(last);
  const fresh = new Float64Array(last.classes.names.length);
  if (idsComparable) {
    for (let node = 0; node < last.graph.nodeCount; node++) {
      const id = last.graph.nodeId[node]!;
      if (id % 2 === 1 && last.graph.selfSize[node] !== 0 && classOfId(firstIndex, id) < 0) fresh[last.classes.nodeClass[node]!]!++;
    }
  }
  const freshByName = new Map(last.classes.names.map((name, id) => [name, fresh[id]!]));
  const names = new Set([...before.keys(), ...after.keys()]);
  const none: ClassFigures = { count: 0, self: 0, retained: 0 };
  return [...names]
    .map((className) => {
      const a = before.get(className) ?? none;
      const b = after.get(className) ?? none;
      return {
        className,
        countBefore: a.count,
        countAfter: b.count,
        selfBefore: a.self,
        selfAfter: b.self,
        retainedBefore: a.retained,
        retainedAfter: b.retained,
        newObjects: freshByName.get(className) ?? 0,
      };
    })
    .filter((row) => row.countBefore !== row.countAfter || row.selfBefore !== row.selfAfter || row.retainedBefore !== row.retainedAfter)
    .sort((a, b) => Math.abs(b.retainedAfter - b.retainedBefore) - Math.abs(a.retainedAfter - a.retainedBefore));
}
