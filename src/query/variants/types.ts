import type { Db, MongoClient } from 'mongodb';
import type { Probe } from '../../unread/strategies/types.js';
import type { QuerySpec } from '../spec.js';
import type { VariantName } from './names.js';

/** What a variant run gets from the child (src/query/child.ts). */
export interface VariantContext {
  db: Db;
  /** Unredacted; for variants with their own connection (Mongoose). */
  uri: string;
  dbName: string;
  spec: QuerySpec;
  maxTimeMS: number;
  readPreference: string;
  modelPath: string | null;
  probe: Probe;
  /** Await where the variant holds the most; the probe run measures the live memory there. */
  atPeak(): Promise<void>;
  shared<T>(key: string, open: () => Promise<T>, close: (resource: T) => Promise<void>): Promise<T>;
  note(text: string): void;
  /** The accounting run: a variant with its own connection opens it with monitorCommands and hands it to watch. */
  accounting: boolean;
  watch(client: MongoClient): void;
  /** Facts the result carries (the Mongoose schema). */
  details: {
    schema?: { source: 'inferred' | 'model'; paths: Record<string, string> };
    /** stream: documents in the batch it held at its peak point. */
    batchDocs?: number;
  };
}

/** One variant: one file, one shape (STYLE.md §7). */
export interface QueryVariant {
  name: VariantName;
  description: string;
  /**
   * per-document: what it holds grows with the result (predicted per document × count);
   * per-batch: it holds one batch at a time (predicted per document of the batch × the documents
   * of the whole result's largest batch, src/query/batch.ts).
   */
  scaling: 'per-document' | 'per-batch';
  /** Null when it applies to this query, otherwise why not. */
  inapplicable(spec: QuerySpec): string | null;
  /** The number of documents (or values) it ended up holding or passing through. */
  run(ctx: VariantContext): Promise<number>;
}

export { StrategySkipped as VariantSkipped } from '../../unread/strategies/types.js';
