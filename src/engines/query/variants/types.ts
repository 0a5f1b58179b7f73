import type { MeasureContext } from '../../../core/measure/context.js';
import type { QuerySpec } from '../spec.js';
import type { VariantName } from './names.js';
import type { PopulateChildPath } from '../populate/child-report.js';

/** What a variant run gets from the child (src/engines/query/child.ts). */
export interface VariantContext extends MeasureContext {
  spec: QuerySpec;
  maxTimeMS: number;
  readPreference: string;
  modelPath: string | null;
  /** Facts the result carries (the Mongoose schema). */
  details: {
    schema?: { source: 'inferred' | 'model'; paths: Record<string, string> };
    /** stream: documents in the batch it held at its peak point. */
    batchDocs?: number;
    /** mongoose+populate, lean+populate: the follow-up queries per path. */
    populate?: PopulateChildPath[];
  };
}

/** One variant: one file, one shape (docs/architecture.md, house rule 6). */
export interface QueryVariant {
  name: VariantName;
  description: string;
  /**
   * per-document: what it holds grows with the result (predicted per document × count);
   * per-batch: it holds one batch at a time (predicted per document of the batch × the documents
   * of the whole result's largest batch, src/engines/query/batch.ts).
   */
  scaling: 'per-document' | 'per-batch';
  /**
   * False when its pass after toArray() creates nothing that stays a document (lean returns the
   * driver's documents; a lean populate's preparation keeps only ids): that pass's GC then scales with
   * the last batch, not the result (loop-predict.ts). Default: it holds what it creates (hydration).
   */
  passHolds?: false;
  /** Null when it applies to this query, otherwise why not. */
  inapplicable(spec: QuerySpec): string | null;
  /** The number of documents (or values) it ended up holding or passing through. */
  run(ctx: VariantContext): Promise<number>;
}

export { MeasureSkipped as VariantSkipped } from '../../../core/measure/context.js';
