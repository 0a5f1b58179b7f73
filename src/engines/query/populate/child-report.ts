import type { PopulateSampleQueries } from '../../../results/query-populate.js';

/** What one run sent for one path: its parents, and the follow-up finds with the ids of their `$in`. */
export interface PopulateRunQueries {
  parents: number;
  queries: number;
  idsTotal: number;
  idsMax: number;
}

/** A populate variant's child report per path: follow-up queries per sample size (the sample and its half), the first one's server work. */
export interface PopulateChildPath {
  path: string;
  collection: string;
  runs: PopulateRunQueries[];
  server: PopulateSampleQueries['server'];
}
