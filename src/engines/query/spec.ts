import { BSON, type Document } from 'mongodb';
import type { PopulateTarget } from '../../results/query-populate.js';

/**
 * The user's query described as data: the children replay exactly this, explain explains it, and
 * the result records it. It travels to a child as canonical Extended JSON so that ObjectIds,
 * dates and 64-bit integers keep their types.
 */
export type QuerySpec =
  | {
      mode: 'find';
      collection: string;
      filter: Document;
      projection?: Document;
      sort?: Document;
      limit?: number;
      batchSize?: number;
      /** --populate: the paths the populate variants populate (the others ignore it). */
      populate?: PopulateTarget[];
    }
  | { mode: 'aggregate'; collection: string; pipeline: Document[]; batchSize?: number }
  | { mode: 'distinct'; collection: string; field: string; filter: Document };

export type { QueryMode } from '../../results/query.js';

export function specToText(spec: QuerySpec): string {
  return BSON.EJSON.stringify(spec as unknown as Document, { relaxed: false });
}

/**
 * Filters and pipelines keep their BSON types (Int32, Long, Decimal128); the driver's own options
 * (limit, batch size) are plain numbers again, and so are a sort's directions and a projection's
 * 1/0: Mongoose accepts only plain 1 and -1 there ("Invalid sort value" for an Int32).
 */
export function specFromText(text: string): QuerySpec {
  const spec = BSON.EJSON.parse(text, { relaxed: false }) as unknown as QuerySpec;
  if ('batchSize' in spec && spec.batchSize !== undefined) spec.batchSize = Number(spec.batchSize);
  if (spec.mode !== 'find') return spec;
  const plain = BSON.EJSON.parse(text, { relaxed: true }) as unknown as typeof spec;
  if (spec.limit !== undefined) spec.limit = Number(spec.limit);
  if (plain.sort) spec.sort = plain.sort;
  if (plain.projection) spec.projection = plain.projection;
  return spec;
}

/** The spec as Extended JSON for people (relaxed: `{"$oid": …}`, plain numbers). */
export function describeSpec(spec: QuerySpec): string {
  switch (spec.mode) {
    case 'find': {
      const parts = [`find(${relaxed(spec.filter)}`];
      if (spec.projection) parts.push(`, ${relaxed(spec.projection)}`);
      let text = `${spec.collection}.${parts.join('')})`;
      if (spec.sort) text += `.sort(${relaxed(spec.sort)})`;
      if (spec.limit) text += `.limit(${spec.limit})`;
      return text;
    }
    case 'aggregate':
      return `${spec.collection}.aggregate(${relaxed(spec.pipeline)})`;
    case 'distinct':
      return `${spec.collection}.distinct(${JSON.stringify(spec.field)}, ${relaxed(spec.filter)})`;
  }
}

export function relaxed(value: unknown): string {
  return BSON.EJSON.stringify(value as Document, { relaxed: true });
}

/**
 * The same query limited to its first `sample` documents: a find gets a lower limit, a pipeline a
 * `$limit` after its last stage (so the server still does the whole pipeline's work). A distinct
 * reply is one document of at most 16 MB and is never sampled.
 */
export function sampled(spec: QuerySpec, sample: number | null): QuerySpec {
  if (sample === null) return spec;
  switch (spec.mode) {
    case 'find':
      return { ...spec, limit: spec.limit ? Math.min(spec.limit, sample) : sample };
    case 'aggregate':
      return { ...spec, pipeline: [...spec.pipeline, { $limit: sample }] };
    case 'distinct':
      return spec;
  }
}

/** The same query projected to `fields` (the projection variant): a find's projection, a pipeline's last $project. */
export function projected(spec: QuerySpec, fields: readonly string[]): QuerySpec {
  const projection: Document = Object.fromEntries(fields.map((field) => [field, 1]));
  if (!fields.includes('_id')) projection._id = 0;
  switch (spec.mode) {
    case 'find':
      return { ...spec, projection };
    case 'aggregate':
      return { ...spec, pipeline: [...spec.pipeline, { $project: projection }] };
    case 'distinct':
      return spec;
  }
}
