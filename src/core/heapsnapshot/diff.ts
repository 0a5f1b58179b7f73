import type { Progress } from '../../lib/progress.js';
import { checkSameProcess, classOfId, indexIds, type IdIndex } from './identity.js';
import { groupSurvivors } from './leaks.js';
import { classTable, type ClassTable } from './classes.js';
import { loadSnapshot, type LoadedSnapshot } from './load.js';
import type { HeapClassDelta, HeapDiffResult, LeakFinding, SameProcessCheck, SnapshotSummary } from '../../results/heap.js';

type SnapshotFacts = Pick<SnapshotSummary, 'path' | 'fileBytes' | 'nodeCount' | 'totalSizeBytes'>;
export type DiffFigures = Pick<
  HeapDiffResult,
  'snapshots' | 'sameProcess' | 'totalGrowthBytes' | 'maxClassGrowthBytes' | 'maxClassGrowthName' | 'classes' | 'leaks'
>;

interface ClassFigures {
  name: string;
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
  const firstIndex = indexIds(first);
  const snapshots: SnapshotFacts[] = [facts(first)];
  // Its classes are counted once the last snapshot's shapes are known (below); until then it keeps
  // what the class table needs, not its edges.
  releaseGraph(first, true);

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
  // DevTools names both snapshots' plain objects with the later one's shapes (aggregatesForDiff),
  // so an object that did not change is not a removed `Object` and an added `{a, b}`.
  const firstClasses = classFigures(classTable(first.graph, first.types, first.dominance, first.plain, last.shapes));
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
  const { classes } = loaded;
  return new Set([...loaded.globals].map((node) => classes.names[classes.nodeClass[node]!]!));
}

function strip(check: SameProcessCheck & { laterToEarlierClass?: Int32Array }): SameProcessCheck {
  return { sameProcess: check.sameProcess, idsKept: check.idsKept, classAgreement: check.classAgreement, reason: check.reason };
}

function facts(loaded: LoadedSnapshot): SnapshotFacts {
  let total = 0;
  for (let node = 0; node < loaded.graph.nodeCount; node++) total += loaded.graph.selfSize[node]!;
  return { path: loaded.path, fileBytes: loaded.graph.fileBytes, nodeCount: loaded.graph.nodeCount, totalSizeBytes: total };
}

/** Drops the big arrays of a snapshot no longer needed, so the next one can use the memory; `classify` keeps what classTable needs. */
function releaseGraph(loaded: LoadedSnapshot, classify = false): void {
  const empty = new Uint32Array(0);
  Object.assign(loaded.graph, { edgeNameType: empty, edgeTo: empty, firstEdge: empty });
  if (!classify) {
    Object.assign(loaded.graph, { nodeName: empty, strings: new Map() });
    loaded.dominance = { ...loaded.dominance, dominator: empty, retained: new Float64Array(0) };
  }
}

/** Figures per class key (`,Name` or `script,line,column,Name`), each with its row's name. */
function classFigures(classes: ClassTable): Map<string, ClassFigures> {
  const rows = new Map<string, ClassFigures>();
  classes.keys.forEach((key, id) =>
    rows.set(key, { name: classes.names[id]!, count: classes.count[id]!, self: classes.selfSize[id]!, retained: classes.retainedSize[id]! }),
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
  const after = classFigures(last.classes);
  const fresh = new Float64Array(last.classes.names.length);
  if (idsComparable) {
    for (let node = 0; node < last.graph.nodeCount; node++) {
      const id = last.graph.nodeId[node]!;
      if (id % 2 === 1 && last.graph.selfSize[node] !== 0 && classOfId(firstIndex, id) < 0) fresh[last.classes.nodeClass[node]!]!++;
    }
  }
  const freshByKey = new Map(last.classes.keys.map((key, id) => [key, fresh[id]!]));
  const keys = new Set([...before.keys(), ...after.keys()]);
  const none: ClassFigures = { name: '', count: 0, self: 0, retained: 0 };
  return [...keys]
    .map((key) => {
      const a = before.get(key) ?? none;
      const b = after.get(key) ?? none;
      return {
        className: b.name || a.name,
        countBefore: a.count,
        countAfter: b.count,
        selfBefore: a.self,
        selfAfter: b.self,
        retainedBefore: a.retained,
        retainedAfter: b.retained,
        newObjects: freshByKey.get(key) ?? 0,
      };
    })
    .filter((row) => row.countBefore !== row.countAfter || row.selfBefore !== row.selfAfter || row.retainedBefore !== row.retainedAfter)
    .sort((a, b) => Math.abs(b.retainedAfter - b.retainedBefore) - Math.abs(a.retainedAfter - a.retainedBefore));
}
