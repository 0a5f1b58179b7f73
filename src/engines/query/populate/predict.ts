import type { Prediction } from '../../../results/query-prediction.js';
import type { PopulatePathPrediction } from '../../../results/query-populate.js';
import type { PopulateCensus } from './census.js';

/**
 * Mongoose's split rule (node_modules/mongoose/lib/helpers/populate/splitPopulateQuery.js, called
 * from Model.populate in node_modules/mongoose/lib/model.js): per populated path, the ids of every
 * parent are flattened and made unique; while ids × foreign fields stays at or under
 * `maxInFilterLength` (50,000 in Mongoose 9) it sends ONE find with `{_id: {$in: ids}}` and every
 * parent pointing at an id shares the one document returned. Above it (and with more than one
 * parent) it sends one find per parent document, in parallel, each parent assigned from its own
 * query's results: as many queries as parents, and a copy of a referenced document per parent
 * that points at it. A sample under the limit never shows that cliff.
 */
export const MAX_IN_FILTER_LENGTH = 50_000;

export function populateQueries(census: PopulateCensus, foreignFields = 1, limit = MAX_IN_FILTER_LENGTH): PopulatePathPrediction {
  const base = { path: census.path, collection: census.collection, parents: census.parents, distinctIds: census.distinctIds, references: census.references };
  if (census.distinctIds === 0) return { ...base, split: false, queries: 0, idsPerQuery: 0, referencedDocsHeld: 0 };
  if (census.parents <= 1 || census.distinctIds * foreignFields <= limit)
    return { ...base, split: false, queries: 1, idsPerQuery: census.distinctIds, referencedDocsHeld: census.distinctIds };
  return {
    ...base,
    split: true,
    queries: census.parents,
    idsPerQuery: Math.ceil(census.references / census.parents),
    referencedDocsHeld: census.references,
  };
}

/** What a populate variant held on a sample (or its half): parents, referenced documents held, live bytes and its V8 heap part. */
export interface PopulateReading {
  parents: number;
  held: number;
  liveBytes: number;
  heapBytes: number;
}

export interface PopulateFit {
  prediction: Prediction;
  perParentBytes: number | null;
  perReferencedBytes: number | null;
}

/**
 * The live memory of the whole result: parents × their cost + referenced documents held × theirs.
 * The two costs come from the sample and its half when they hold referenced documents in different
 * proportions (the variant's own parents: a hydrated parent also keeps Mongoose's record of what it
 * populated, `$__.populated[path]` with the original id, which its sibling without populate does
 * not have; a lean parent's populated field is a reference to the shared document instead of an
 * ObjectId of its own), or else from the sibling variant without populate (same parents, measured
 * in its own child: `siblingPerParent`), which leaves such a per-parent difference counted with the
 * referenced documents. When neither separates them, the sample's cost per parent is scaled
 * (referenced documents assumed to grow with the parents) and the range says how far the split of
 * the whole result may move it. The range spans that plain scaling and the model.
 */
export function predictPopulate(
  sample: PopulateReading,
  half: PopulateReading | null,
  siblingPerParent: number | null,
  parentsWhole: number,
  heldWhole: number,
): PopulateFit {
  const measuredWhole = parentsWhole <= sample.parents;
  const costs = measuredWhole ? null : separate(sample, half, siblingPerParent);
  const linear = sample.parents > 0 ? (sample.liveBytes / sample.parents) * parentsWhole : 0;
  const point = measuredWhole ? sample.liveBytes : costs ? costs.perParent * parentsWhole + costs.perReferenced * heldWhole : linear;
  const heapShare = sample.liveBytes > 0 ? Math.max(0, sample.heapBytes) / sample.liveBytes : 1;
  const prediction: Prediction = {
    docs: parentsWhole,
    liveBytes: Math.round(point),
    lowBytes: Math.round(measuredWhole ? point : Math.min(point, linear)),
    highBytes: Math.round(measuredWhole ? point : Math.max(point, linear)),
    heapBytes: Math.round(point * heapShare),
    perDocBytes: parentsWhole > 0 ? point / parentsWhole : 0,
    marginalPerDocBytes: costs?.perParent ?? (sample.parents > 0 ? sample.liveBytes / sample.parents : 0),
    fixedBytes: 0,
    measuredWhole,
  };
  return { prediction, perParentBytes: costs?.perParent ?? null, perReferencedBytes: costs?.perReferenced ?? null };
}

function separate(sample: PopulateReading, half: PopulateReading | null, siblingPerParent: number | null) {
  const own = twoSizes(sample, half);
  if (own) return own;
  if (siblingPerParent !== null && sample.held > 0) {
    const perReferenced = (sample.liveBytes - sample.parents * siblingPerParent) / sample.held;
    if (perReferenced >= 0) return { perParent: siblingPerParent, perReferenced };
  }
  return null;
}

/** Two readings, two unknowns: parents × p + held × r = live. Refused when the proportions barely differ (noise would decide). */
function twoSizes(sample: PopulateReading, half: PopulateReading | null) {
  if (!half || half.parents <= 0 || sample.held <= 0) return null;
  const det = half.parents * sample.held - sample.parents * half.held;
  if (Math.abs(det) < 0.05 * sample.parents * sample.held) return null;
  const perParent = (half.liveBytes * sample.held - sample.liveBytes * half.held) / det;
  const perReferenced = (half.parents * sample.liveBytes - sample.parents * half.liveBytes) / det;
  return perParent >= 0 && perReferenced >= 0 ? { perParent, perReferenced } : null;
}
