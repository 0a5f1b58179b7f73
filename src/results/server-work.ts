export interface ServerWork {
  /** False when the server could not explain (reason says why); figures are then absent. */
  explained: boolean;
  reason?: string;
  docsExamined?: number;
  keysExamined?: number;
  /** Documents returned by the explained queries (nReturned). */
  docsReturned?: number;
  indexesUsed: string[];
  /** One entry per query the strategy sends. */
  queries: ExplainedQuery[];
}

export interface ExplainedQuery {
  collection: string;
  operation: 'find' | 'distinct' | 'aggregate' | 'count';
  docsExamined: number | null;
  keysExamined: number | null;
  docsReturned: number | null;
  indexesUsed: string[];
  /** COLLSCAN seen in the plan. */
  collectionScan: boolean;
}
