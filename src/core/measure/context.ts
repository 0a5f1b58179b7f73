import type { Db, MongoClient } from 'mongodb';

/**
 * What every measured run gets from its child, whichever command measures it: a compare-unread
 * strategy (src/engines/compare-unread/strategies) or a query variant (src/engines/query/variants)
 * extends it with what is its own.
 */
export interface MeasureContext {
  db: Db;
  /** Unredacted; for runs that open their own connection (Mongoose). */
  uri: string;
  dbName: string;
  /** Call at every batch / await boundary: counts documents and samples the heap. */
  probe: Probe;
  /**
   * Await where the run's working set is largest (before it reduces it). On a probe run the child
   * measures the live heap here (and may write a heap snapshot); otherwise it returns at once.
   */
  atPeak(): Promise<void>;
  /** A resource kept across runs (opened on the warm-up run, closed when the child ends). */
  shared<T>(key: string, open: () => Promise<T>, close: (resource: T) => Promise<void>): Promise<T>;
  note(text: string): void;
  /** The run enters a phase of its work ('hydration': the pass after the driver's toArray()); src/core/measure/loop.ts splits blocks by it. */
  mark(phase: string): void;
  /**
   * True on the accounting run (the first warm-up): `db` then belongs to a client with command
   * monitoring on. A run with its own connection opens it with `monitorCommands: accounting` and
   * hands its MongoClient to `watch` so its replies are counted too.
   */
  accounting: boolean;
  watch(client: MongoClient): void;
}

export interface Probe {
  /** `count` more documents (or values) arrived; samples the heap every few hundred. */
  docs(count: number): void;
  /** Samples the heap now. */
  sample(): void;
}

/** Thrown by a run that cannot happen here (e.g. Mongoose absent): reported as "skipped". */
export class MeasureSkipped extends Error {
  override readonly name = 'MeasureSkipped';
}

/** A measuring child's progress line (src/lib/child): what its parent reports if it dies, and shows while it runs. */
export interface MeasureProgress {
  docs: number;
  heapUsedBytes: number;
  /** The run under way (absent before the first): what the parent's status line shows and estimates from. */
  phase?: MeasurePhase;
}

/** One run of a measuring child's plan: warm-up runs, then timed runs, then probe runs. */
export interface MeasurePhase {
  kind: 'warm-up' | 'run' | 'probe';
  /** For people: "warm-up", "run 2/3", "probe 1/3". */
  label: string;
  /** This run's place in the child's plan, from 1, and the runs planned (the probes may be an upper bound). */
  step: number;
  steps: number;
}
