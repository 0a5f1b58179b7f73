import type { Db, MongoClient } from 'mongodb';
import type { PlannedQuery, QueryParams } from '../queries.js';
import type { FalsePositiveTest } from '../bloom-scalable.js';
import type { StrategyName } from '../result.js';

/** What every strategy run gets from the child (src/unread/child.ts). */
export interface StrategyContext extends QueryParams {
  db: Db;
  /** Unredacted; for strategies that open their own connection (naive-mongoose). */
  uri: string;
  dbName: string;
  bloomFalsePositiveRate: number;
  /** Call at every batch / await boundary: counts documents and samples the heap. */
  probe: Probe;
  /**
   * Await where the strategy's working set is largest (before it reduces it). On the probe run the
   * child measures the live heap and takes the heap snapshot here; otherwise it returns at once.
   */
  atPeak(): Promise<void>;
  /** A resource kept across runs (opened on the warm-up run, closed when the child ends). */
  shared<T>(key: string, open: () => Promise<T>, close: (resource: T) => Promise<void>): Promise<T>;
  /** Facts about this run the result should carry (distinct fallback, bloom sizing); last run wins. */
  details: StrategyDetails;
  note(text: string): void;
  /**
   * True on the accounting run (the first warm-up): `db` then belongs to a client with command
   * monitoring on. A strategy with its own connection opens it with `monitorCommands: accounting`
   * and hands its MongoClient to `watch` so its replies are counted too.
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

export interface StrategyDetails {
  distinct?: { fallback: boolean; reason?: string };
  bloom?: {
    bits: number;
    /** Hash functions of the first stage; hashesPerStage for all. */
    hashes: number;
    hashesPerStage: number[];
    /** Plain filters in the scalable filter (1 while it held no more than it was first sized for). */
    stages: number;
    sizeBytes: number;
    expectedItems: number;
    itemsAdded: number;
    distinctItems: number;
    configuredFalsePositiveRate: number;
    /** Measured over fresh absent ObjectIds on the accounting run; null when there was none. */
    falsePositiveTest: FalsePositiveTest | null;
  };
}

/** Thrown by a strategy that cannot run here (e.g. mongoose absent): reported as "skipped". */
export class StrategySkipped extends Error {
  override readonly name = 'StrategySkipped';
}

/** One strategy: one file, one shape (STYLE.md §7). */
export interface UnreadStrategy {
  name: StrategyName;
  description: string;
  /** Where it comes from in the post-mortem. */
  stage: string;
  /** False for approximate strategies (bloom): never the agreement reference. */
  exact: boolean;
  /** The queries it sends, for explain (cursor reads the cursors first: its msgs query depends on them). */
  queries(params: QueryParams, db: Db): PlannedQuery[] | Promise<PlannedQuery[]>;
  /** The unread message ids (hex strings). */
  run(ctx: StrategyContext): Promise<string[]>;
}
