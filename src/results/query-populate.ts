/**
 * `--populate`: what the mongoose+populate and lean+populate variants measured of Mongoose's
 * follow-up queries on the sample, and what they predict for the whole result (the model:
 * src/engines/query/populate/predict.ts).
 */

/** One populated path: where its ids point. */
export interface PopulateTarget {
  path: string;
  /** The referenced collection. */
  collection: string;
  /** The ref's model name (--model), null for `--populate field:collection`. */
  ref: string | null;
}

/** What Mongoose sent for one path on the sample (its `debug` hook on imdiag's connection). */
export interface PopulateSampleQueries {
  path: string;
  collection: string;
  /** Parent documents of the sample. */
  parents: number;
  /** Distinct ids among them (Mongoose's one `$in`); null when it split the query per parent. */
  distinctIds: number | null;
  /** Follow-up finds on the referenced collection, and the ids of their `$in` filters. */
  queries: number;
  idsTotal: number;
  idsMax: number;
  /** The first follow-up query's server work (explain executionStats); null when not explained. */
  server: { planSummary: string; keysExamined: number | null; docsExamined: number | null; nReturned: number | null } | null;
}

/** One path over the whole result, Mongoose's split rule applied. */
export interface PopulatePathPrediction {
  path: string;
  collection: string;
  /** Parents of the whole result with at least one id in the path. */
  parents: number;
  /** Distinct ids over the whole result, and id references in all (an array path holds several). */
  distinctIds: number;
  references: number;
  /** True above Mongoose's maxInFilterLength: one query per parent document instead of one `$in`. */
  split: boolean;
  queries: number;
  /** Ids in the largest `$in` sent. */
  idsPerQuery: number;
  /** Referenced documents held: distinct ids (one `$in`, shared by the parents) or references (split: each parent's own copy). */
  referencedDocsHeld: number;
}

export interface PopulateOutcome {
  sample: PopulateSampleQueries[];
  paths: PopulatePathPrediction[];
  /** Live bytes per parent document and per referenced document held; null when the two could not be told apart. */
  perParentBytes: number | null;
  perReferencedBytes: number | null;
  /** distinct + one `$in`, lean: the referenced documents alone, once each; null when not predicted. */
  alternative: { queries: number; liveBytes: number | null; note: string | null } | null;
}
