/**
 * What `imdiag query --from-log` / `--from-profile` read from the server's record: the size of the
 * largest result each shape returned there (its cursor's find and getMore lines summed), the
 * operations not measured and why, what a mongos's log carries, and the predictions at the
 * recorded size (the model of src/engines/query/predict.ts, carried to the recorded documents).
 */
import type { CapVerdict, Prediction } from './query-prediction.js';

/** One cursor's recorded result: the sum of its find (or aggregate) line and its getMore lines. */
export interface RecordedSize {
  docs: number;
  /** Sum of `reslen` (log) / `responseLength` (profiler): the replies' bytes, BSON documents plus each reply's envelope. */
  bytes: number;
  /**
   * True when the sum is a lower bound: no line of the cursor has `cursorExhausted` (its last batch
   * was not recorded, or the cursor was not read to its end), or its find line is missing (the first batch).
   */
  atLeast: boolean;
  /** Cursors of the shape whose sum is a lower bound. */
  incompleteCursors: number;
  /** Cursors whose getMores were recorded without their find (its first batch is not in the sum). */
  withoutFirstBatch: number;
}

export type SkipReason = 'other-database' | 'write' | 'unparsable' | 'orphan-getmore' | 'not-a-query' | 'imdiag';

/** Recorded operations not measured, by reason, with up to five of their namespaces or command names. */
export interface RecordedSkip {
  reason: SkipReason;
  count: number;
  names: string[];
}

/** A mongos's slow-query lines: `nShards` and `remoteOpWaitMillis` read, examined counts absent there. */
export interface RouterLines {
  /** Lines carrying `nShards` (written by a mongos). */
  lines: number;
  maxShards: number;
  /** Sum of `remoteOpWaitMillis` (MongoDB 5.0+, on the merger) and of `durationMillis` over those lines. */
  remoteOpWaitMillis: number | null;
  durationMillis: number;
  /** Of those lines, how many carry keysExamined / docsExamined (none on a mongos unless query stats are on). */
  withExamined: number;
}

/** A variant at the recorded size. */
export interface RecordedVariant {
  name: string;
  prediction: Prediction;
  cap: CapVerdict | null;
}

/** A measured query's prediction at the size its shape returned in the record. */
export interface AtRecordedSize {
  size: RecordedSize;
  /** The recorded replies' bytes per document (reslen ÷ nreturned, envelopes included). */
  bytesPerDoc: number | null;
  /** The data at hand's BSON bytes per document ($bsonSize), null without it. */
  dataBytesPerDoc: number | null;
  /** Recorded documents ÷ the data at hand's. */
  ratio: number | null;
  /** True when the recorded size differs clearly from the data at hand's: `variants` are then predicted at it. */
  differs: boolean;
  /** True when production's documents differ clearly in size from the data at hand's (the copy is not representative). */
  unrepresentative: boolean;
  variants: RecordedVariant[];
}
