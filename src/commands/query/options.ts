import { freemem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { validateTargetOptions, type RawTargetOptions } from '../../lib/common-options.js';
import { parseConditions, type Condition } from '../../lib/conditions.js';
import { UsageError } from '../../lib/errors.js';
import type { TargetOptions } from '../../lib/mongo/target.js';
import { rangeText, type FlagSpec } from '../../lib/flags.js';
import { parseBytes, parseChoice, parseDuration, parseInteger, parseList } from '../../lib/validate.js';
import type { QueryOptions, QuerySource } from '../../engines/query/run.js';
import { VARIANT_NAMES, type VariantName } from '../../engines/query/variants/names.js';
import { QUERY_CONDITIONS } from '../../engines/query/verdict.js';
import { parsePopulate, POPULATE_VARIANTS } from './populate.js';
import { BATCH_SIZE_LIMITS, existingFile, field, fieldList, querySource, type CommandQuerySource, type RawQuerySource } from './source.js';

export const DEFAULT_SAMPLE = 10_000;
export const DEFAULT_MAX_TIME_MS = 30_000;
/**
 * Timed runs of each variant (and of its sample's first half): three, so the median is a run's and one
 * disturbed run does not move it — on idle cores two runs of one size differed by a third (the driver's
 * CPU 162 and 207 ms on 10,001 documents), and the median of two is their mean. The third run cost
 * nothing measurable on demo (26.6 s with two, 26.3 s with three: spawning, the probe and explain dominate).
 */
export const DEFAULT_RUNS = 3;
export const DEFAULT_TOP_GROUPS = 10;
export const DEFAULT_TOP_SHAPES = 5;
export const READ_PREFERENCES = ['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'] as const;
const MB = 1024 * 1024;

/** What the validator accepts; --help shows the same ranges. */
export const QUERY_LIMITS = {
  sample: { min: 10, max: 10_000_000 },
  top: { min: 1, max: 1000 },
  runs: { min: 1, max: 100 },
  maxOldSpaceSizeMB: { min: 16, max: 65_536 },
  maxTimeMS: { min: 100, max: 24 * 3_600_000 },
  batchSize: BATCH_SIZE_LIMITS,
} as const;

export const QUERY_FLAGS: FlagSpec[] = [
  { flags: '--collection <name>', description: 'the collection queried (required unless --from-profile or --from-log)' },
  {
    flags: '--filter <json>',
    description: "find filter as mongosh or Compass show it ({_id: ObjectId('…')}, ISODate(…), NumberLong(…)) or Extended JSON, inline or @file",
    default: '{}',
  },
  { flags: '--projection <json>', description: 'find projection, mongosh syntax or Extended JSON, inline or @file' },
  { flags: '--sort <json>', description: 'find sort, mongosh syntax or Extended JSON, inline or @file' },
  { flags: '--limit <n>', description: 'find limit', allowed: '1 or more' },
  { flags: '--batch-size <n>', description: 'cursor batch size', default: "the driver's", allowed: rangeText(QUERY_LIMITS.batchSize) },
  {
    flags: '--aggregate <json>',
    description:
      'an aggregation pipeline instead of a find, an array in mongosh syntax or Extended JSON, inline or @file; $out, $merge, $where, $function, $accumulator refused',
  },
  { flags: '--distinct <field>', description: 'distinct values of a field (with --filter), measured whole' },
  { flags: '--group-by <field>', description: 'count documents and BSON bytes per value on the server, measure the heaviest, predict the top --top' },
  {
    flags: '--top <k>',
    description: 'values (--group-by) or query shapes (--from-profile/--from-log) shown and predicted',
    default: `${DEFAULT_TOP_GROUPS} / ${DEFAULT_TOP_SHAPES}`,
    allowed: rangeText(QUERY_LIMITS.top),
  },
  { flags: '--from-profile', description: 'measure the heaviest queries in system.profile of --db (the profiler must be on)' },
  { flags: '--from-log <file>', description: 'measure the heaviest queries in mongod\'s JSON log ("Slow query", id 51803)' },
  { flags: '--variants <list>', description: 'comma-separated variants', default: 'all that apply', allowed: VARIANT_NAMES.join(',') },
  { flags: '--suggest-projection <fields>', description: 'adds the projection variant: the query projected to these fields, e.g. msgId' },
  {
    flags: '--model <module>',
    description: "a module exporting the team's Mongoose model (or schema) for the mongoose and lean variants",
    default: 'a schema inferred from a sample',
  },
  {
    flags: '--populate <paths>',
    description:
      "adds the mongoose+populate and lean+populate variants: the query with .populate(PATH) per path, its follow-up queries counted; PATH (its ref in --model's schema) or PATH:collection",
  },
  {
    flags: '--sample <n>',
    description: 'documents each variant is measured on; the whole result is predicted from them',
    default: DEFAULT_SAMPLE,
    allowed: rangeText(QUERY_LIMITS.sample),
  },
  { flags: '--full', description: 'also run each variant over the whole result under the cap (refused when predicted over --max-heap)' },
  { flags: '--max-heap <size>', description: 'largest predicted live memory --full may replay, e.g. 2gb', default: "half this machine's free memory" },
  {
    flags: '--max-old-space-size <MB>',
    description: "heap cap of each variant's process, e.g. 1536",
    default: "Node's own limit",
    allowed: rangeText(QUERY_LIMITS.maxOldSpaceSizeMB),
  },
  { flags: '--max-time <time>', description: 'maxTimeMS of every operation sent, e.g. 30s', default: '30s', allowed: '100ms-24h' },
  { flags: '--read-preference <mode>', description: 'read preference of every read', default: 'secondaryPreferred', allowed: READ_PREFERENCES.join(', ') },
  { flags: '--runs <n>', description: 'measured runs per variant after one warm-up', default: DEFAULT_RUNS, allowed: rangeText(QUERY_LIMITS.runs) },
  {
    flags: '--fail-on <conditions>',
    description: "exit 1 when the chosen variant's prediction crosses it, e.g. 'live>512MB'",
    allowed: 'live, heap, per-doc, docs, bson > or < a value; oom; collscan',
  },
  { flags: '--fail-on-variant <name>', description: 'the variant --fail-on judges', default: 'driver', allowed: VARIANT_NAMES.join(',') },
];
/** Raw strings from commander. */
export interface RawQueryOptions extends RawTargetOptions, RawQuerySource {
  groupBy?: string;
  top?: string;
  variants?: string;
  suggestProjection?: string;
  model?: string;
  populate?: string;
  sample?: string;
  full?: boolean;
  maxHeap?: string;
  maxOldSpaceSize?: string;
  maxTime?: string;
  readPreference?: string;
  runs?: string;
  failOn?: string;
  failOnVariant?: string;
}

export interface QueryCommandOptions extends Omit<QueryOptions, 'source'> {
  target: TargetOptions;
  failOn: Condition[];
  source: CommandQuerySource;
}

export type { QuerySource };

/** Pure but for the file checks: raw flags → typed options, or a one-line UsageError naming the flag. */
export function validateQueryOptions(raw: RawQueryOptions, env: NodeJS.ProcessEnv = process.env, freeBytes: number = freemem()): QueryCommandOptions {
  const source = querySource(raw);
  const variantsExplicit = raw.variants !== undefined;
  const populate = raw.populate === undefined ? null : parsePopulate(raw.populate, raw.model !== undefined);
  if (populate && (source.kind !== 'flags' || source.spec.mode !== 'find'))
    throw new UsageError(
      '--populate works on a --collection with --filter (Mongoose populates find results; not with --aggregate, --distinct, --from-profile or --from-log)',
    );
  const variants: VariantName[] = variantsExplicit
    ? parseList('--variants', raw.variants!, VARIANT_NAMES)
    : VARIANT_NAMES.filter((name) => populate || !POPULATE_VARIANTS.includes(name));
  const needsPopulate = variants.find((name) => POPULATE_VARIANTS.includes(name));
  if (needsPopulate && !populate) throw new UsageError(`--variants ${needsPopulate} needs --populate PATH (with --model) or PATH:collection`);
  const suggestProjection = raw.suggestProjection === undefined ? null : fieldList('--suggest-projection', raw.suggestProjection);
  if (variants.includes('projection') && variantsExplicit && !suggestProjection)
    throw new UsageError('--variants projection needs --suggest-projection FIELD,FIELD (the fields to project to)');
  const maxOldSpaceSizeMB =
    raw.maxOldSpaceSize === undefined
      ? null
      : parseInteger('--max-old-space-size', raw.maxOldSpaceSize, QUERY_LIMITS.maxOldSpaceSizeMB.min, QUERY_LIMITS.maxOldSpaceSizeMB.max);
  const groupBy = raw.groupBy === undefined ? null : field('--group-by', raw.groupBy);
  if (groupBy && (source.kind !== 'flags' || source.spec.mode !== 'find'))
    throw new UsageError('--group-by works on a --collection with --filter (not with --aggregate, --distinct, --from-profile or --from-log)');
  const failOnVariant = raw.failOnVariant === undefined ? 'driver' : parseChoice('--fail-on-variant', raw.failOnVariant, VARIANT_NAMES);
  if (raw.failOnVariant !== undefined && !variants.includes(failOnVariant))
    throw new UsageError(`--fail-on-variant ${failOnVariant} is not among --variants ${variants.join(',')}`);
  const model = raw.model === undefined ? null : existingFile('--model', raw.model);
  return {
    target: validateTargetOptions(raw, env),
    source,
    groupBy,
    top:
      raw.top === undefined
        ? source.kind === 'flags'
          ? DEFAULT_TOP_GROUPS
          : DEFAULT_TOP_SHAPES
        : parseInteger('--top', raw.top, QUERY_LIMITS.top.min, QUERY_LIMITS.top.max),
    variants,
    variantsExplicit,
    suggestProjection,
    model,
    populate,
    sample: raw.sample === undefined ? DEFAULT_SAMPLE : parseInteger('--sample', raw.sample, QUERY_LIMITS.sample.min, QUERY_LIMITS.sample.max),
    full: raw.full === true,
    maxHeapBytes: raw.maxHeap === undefined ? Math.floor(freeBytes / 2) : parseBytes('--max-heap', raw.maxHeap, MB, Number.MAX_SAFE_INTEGER),
    maxOldSpaceSizeMB,
    heapLimitBytes: maxOldSpaceSizeMB === null ? getHeapStatistics().heap_size_limit : maxOldSpaceSizeMB * MB,
    maxTimeMS:
      raw.maxTime === undefined ? DEFAULT_MAX_TIME_MS : parseDuration('--max-time', raw.maxTime, QUERY_LIMITS.maxTimeMS.min, QUERY_LIMITS.maxTimeMS.max),
    readPreference: raw.readPreference === undefined ? 'secondaryPreferred' : parseChoice('--read-preference', raw.readPreference, READ_PREFERENCES),
    runs: raw.runs === undefined ? DEFAULT_RUNS : parseInteger('--runs', raw.runs, QUERY_LIMITS.runs.min, QUERY_LIMITS.runs.max),
    failOn: raw.failOn === undefined ? [] : parseConditions('--fail-on', raw.failOn, QUERY_CONDITIONS),
    failOnVariant,
  };
}
