import type { Document } from 'mongodb';

/** A query a strategy or variant sends, described as data so that explain replays exactly what it sends. */
export type PlannedQuery =
  | { collection: string; operation: 'find'; filter: Document; projection?: Document }
  | { collection: string; operation: 'distinct'; key: string; filter: Document }
  | { collection: string; operation: 'aggregate'; pipeline: Document[] }
  | { collection: string; operation: 'count'; filter: Document };
