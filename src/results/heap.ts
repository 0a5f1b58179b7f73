import type { BaseResult, ConditionOutcome } from '../lib/result.js';

export interface RetainerStep {
  /** The edge from the previous step's node to this one ("held", "[3]", "context"). */
  edge: string;
  edgeType: string;
  /** Node shown as DevTools names it: constructor, closure name with (), `system / Context`… */
  node: string;
  className: string;
  id: number;
}

export interface RetainerPath {
  /** From the root's child down to the object. */
  steps: RetainerStep[];
  /** One line, object first: `Array ← big in system / Context ← context in getUnreadMsgs() ← …`. */
  text: string;
  /** Reached from a user global (the root's shortcut edges) rather than from V8's own roots. */
  fromUserGlobal: boolean;
}

/** One row of DevTools' Summary: a constructor (or a bracketed kind for non-objects). */
export interface HeapClassRow {
  className: string;
  /**
   * For objects whose constructor V8 places in a script: `scriptId,line,column` as the snapshot
   * writes it. DevTools keys rows by it, so two classes of one name are two rows.
   */
  location?: string;
  count: number;
  selfSizeBytes: number;
  /** DevTools' rule: instances dominated by another instance of the class are not added again. */
  retainedSizeBytes: number;
}

export interface HeapObjectRow {
  id: number;
  className: string;
  /** As DevTools names the node: the constructor, `name()` for a closure, a string's value. */
  name: string;
  selfSizeBytes: number;
  retainedSizeBytes: number;
  /** Shortest path from a GC root; null when the root does not reach it over strong edges. */
  retainers: RetainerPath | null;
}

export interface DuplicateStringRow {
  /** JSON-escaped, cut to 80 characters. */
  value: string;
  count: number;
  totalBytes: number;
  /** What the copies beyond the first cost. */
  wastedBytes: number;
}

export interface StringsSummary {
  stringCount: number;
  stringBytes: number;
  /** stringBytes / totalSizeBytes. */
  share: number;
  concatenatedBytes: number;
  slicedBytes: number;
  duplicatedValues: number;
  wastedBytes: number;
  top: DuplicateStringRow[];
}

export interface SnapshotSummary {
  path: string;
  fileBytes: number;
  nodeCount: number;
  edgeCount: number;
  /** Sum of every node's self size, native (off-heap) nodes included. */
  totalSizeBytes: number;
  nativeBytes: number;
  /** Nodes the root does not reach over retaining edges (retained by the root, as DevTools does). */
  unreachableNodes: number;
  classCount: number;
  /** The classes with the largest retained size, at most `top`. */
  classes: HeapClassRow[];
  /** The objects with the largest retained size, none inside another one listed. */
  largest: HeapObjectRow[];
  strings: StringsSummary;
  timings: { readMs: number; dominatorsMs: number; classesMs: number; totalMs: number };
}

export interface HeapOptionsEcho {
  top: number;
  retainers: boolean;
  strings: boolean;
}

export interface HeapResult extends BaseResult<'heap'> {
  options: HeapOptionsEcho;
  snapshot: SnapshotSummary;
  /** Peak RSS of the imdiag process (getrusage), the cost of the analysis itself. */
  peakRssBytes: number;
}

export interface HeapClassDelta {
  className: string;
  countBefore: number;
  countAfter: number;
  selfBefore: number;
  selfAfter: number;
  retainedBefore: number;
  retainedAfter: number;
  /** Instances of the class whose node id the first snapshot lacks. */
  newObjects: number;
}

export interface LeakGroup {
  className: string;
  /** The retainer path of one member, element indices as […] so the group's members share it. */
  path: string;
  count: number;
  selfSizeBytes: number;
  /** One member, with its full path. */
  example: HeapObjectRow;
}

/** Whether node ids of two snapshots can be matched (one process, in order). */
export interface SameProcessCheck {
  sameProcess: boolean;
  /** Of the first snapshot's objects, the share whose id the second one has. */
  idsKept: number;
  /** Of those, the share whose class is the same in both (an object keeps its constructor). */
  classAgreement: number;
  reason: string;
}

export type LeakFinding =
  | {
      status: 'ok';
      snapshots: [string, string, string];
      checks: SameProcessCheck[];
      allocatedBetween: number;
      stillAlive: number;
      stillAliveBytes: number;
      groups: LeakGroup[];
    }
  | { status: 'not-comparable'; snapshots: [string, string, string]; checks: SameProcessCheck[]; reason: string };

export interface HeapDiffResult extends BaseResult<'heap-diff'> {
  options: { top: number; failOn: string[] };
  snapshots: Array<Pick<SnapshotSummary, 'path' | 'fileBytes' | 'nodeCount' | 'totalSizeBytes'>>;
  /** First against last snapshot. */
  sameProcess: SameProcessCheck;
  totalGrowthBytes: number;
  /** The largest retained growth of any one class but the global object's (it retains nearly everything). */
  maxClassGrowthBytes: number;
  /** That class; null when none grew. */
  maxClassGrowthName: string | null;
  classes: HeapClassDelta[];
  leaks: LeakFinding | null;
  conditions: ConditionOutcome[];
  peakRssBytes: number;
}
