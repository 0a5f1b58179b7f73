import type { Db } from 'mongodb';
import type { MeasureContext } from '../../../core/measure/context.js';
import type { PlannedQuery, QueryParams } from '../queries.js';
import type { FalsePositiveTest } from '../../../results/compare-unread.js';
import type { StrategyName } from '../../../results/compare-unread.js';

/** What every strategy run gets from the child (src/engines/compare-unread/child.ts). */
export interface StrategyContext extends MeasureContext, QueryParams {
  bloomFalsePositiveRate: number;
  /** Facts about this run the result should carry (distinct fallback, bloom sizing); last run wins. */
  details: StrategyDetails;
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

export { MeasureSkipped as StrategySkipped, type Probe } from '../../../core/measure/context.js';

/** One strategy: one file, one shape (docs/architecture.md, house rule 6). */
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
