import { existsSync, statSync } from 'node:fs';
import { freemem } from 'node:os';
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { validateTargetOptions, type RawTargetOptions } from '../../lib/common-options.js';
import { parseConditions } from '../../lib/conditions.js';
import { UsageError } from '../../lib/errors.js';
import type { TargetOptions } from '../../lib/mongo/target.js';
import { rangeText, type FlagSpec } from '../../lib/flags.js';
import { parseBytes, parseChoice, parseDuration, parseInteger, parseList } from '../../lib/validate.js';
import { parseJsonObject, parsePipeline } from '../../engines/query/ejson.js';
import type { QueryOptions, QuerySource } from '../../engines/query/run.js';
import { refuseWrites } from '../../engines/query/safety.js';
import type { QuerySpec } from '../../engines/query/spec.js';
import { VARIANT_NAMES, type VariantName } from '../../engines/query/variants/names.js';
import { QUERY_CONDITIONS } from '../../engines/query/verdict.js';

export const DEFAULT_SAMPLE = 10_000;
export const DEFAULT_MAX_TIME_MS = 30_000;
export const DEFAULT_RUNS = 2;
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
  batchSize: { min: 1, max: 1_000_000 },
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
// MongoDB field paths: no leading $, no empty segment.
const FIELD = /^[^$.\s][^\s]*$/;

/** Raw strings from commander. */
export interface RawQueryOptions extends RawTargetOptions {
  collection?: string;
  filter?: string;
  projection?: string;
  sort?: string;
  limit?: string;
  batchSize?: string;
  aggregate?: string;
  distinct?: string;
  groupBy?: string;
  top?: string;
  fromProfile?: boolean;
  fromLog?: string;
  variants?: string;
  suggestProjection?: string;
  model?: string;
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
  /** The log's text is read by the command, not here. */
  source: { kind: 'flags'; spec: QuerySpec } | { kind: 'profile' } | { kind: 'log'; file: string };
}

export type { QuerySource };

/** Pure but for the file checks: raw flags → typed options, or a one-line UsageError naming the flag. */
export function validateQueryOptions(raw: RawQueryOptions, env: NodeJS.ProcessEnv = process.env, freeBytes: number = freemem()): QueryCommandOptions {
  const source = querySource(raw);
  const variantsExplicit = raw.variants !== undefined;
  const variants: VariantName[] = variantsExplicit ? parseList('--variants', raw.variants!, VARIANT_NAMES) : [...VARIANT_NAMES];
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

function querySource(raw: RawQueryOptions): QueryCommandOptions['source'] {
  const queryFlags = (['filter', 'projection', 'sort', 'limit', 'batchSize', 'aggregate', 'distinct'] as const)
    .filter((key) => raw[key] !== undefined)
    .map(flagName);
  if (raw.fromProfile && raw.fromLog !== undefined) throw new UsageError('--from-profile and --from-log are two sources; pick one');
  if (raw.fromProfile || raw.fromLog !== undefined) {
    const which = raw.fromProfile ? '--from-profile' : '--from-log';
    const extra = [...(raw.collection !== undefined ? ['--collection'] : []), ...queryFlags];
    if (extra.length > 0) throw new UsageError(`${which} measures the queries the server recorded; drop ${extra.join(', ')}`);
    return raw.fromProfile ? { kind: 'profile' } : { kind: 'log', file: existingFile('--from-log', raw.fromLog!) };
  }
  if (raw.collection === undefined) throw new UsageError('--collection NAME is required (or --from-profile, or --from-log FILE)');
  const collection = raw.collection.trim();
  if (!/^[^$\0]{1,255}$/.test(collection) || collection.startsWith('system.'))
    throw new UsageError(`--collection must be a collection name (no $, not system.*), got '${raw.collection}'`);
  const batchSize =
    raw.batchSize === undefined ? undefined : parseInteger('--batch-size', raw.batchSize, QUERY_LIMITS.batchSize.min, QUERY_LIMITS.batchSize.max);
  if (raw.aggregate !== undefined) {
    const clash = queryFlags.filter((flag) => flag !== '--aggregate' && flag !== '--batch-size');
    if (clash.length > 0)
      throw new UsageError(`--aggregate takes the whole query as a pipeline; drop ${clash.join(', ')} (use $match, $project, $sort, $limit stages)`);
    const pipeline = parsePipeline('--aggregate', raw.aggregate);
    refuseWrites('--aggregate', pipeline);
    return { kind: 'flags', spec: { mode: 'aggregate', collection, pipeline, ...(batchSize && { batchSize }) } };
  }
  const filter = raw.filter === undefined ? {} : parseJsonObject('--filter', raw.filter);
  refuseWrites('--filter', filter);
  if (raw.distinct !== undefined) {
    const clash = queryFlags.filter((flag) => !['--distinct', '--filter'].includes(flag));
    if (clash.length > 0) throw new UsageError(`--distinct takes only --filter; drop ${clash.join(', ')}`);
    return { kind: 'flags', spec: { mode: 'distinct', collection, field: field('--distinct', raw.distinct), filter } };
  }
  const projection = raw.projection === undefined ? undefined : parseJsonObject('--projection', raw.projection, 'projection');
  if (projection) refuseWrites('--projection', projection);
  const sort = raw.sort === undefined ? undefined : parseJsonObject('--sort', raw.sort, 'sort');
  const limit = raw.limit === undefined ? undefined : parseInteger('--limit', raw.limit, 1, Number.MAX_SAFE_INTEGER);
  return {
    kind: 'flags',
    spec: {
      mode: 'find',
      collection,
      filter,
      ...(projection && { projection }),
      ...(sort && { sort }),
      ...(limit && { limit }),
      ...(batchSize && { batchSize }),
    },
  };
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function field(flag: string, raw: string): string {
  const name = raw.trim();
  if (!FIELD.test(name)) throw new UsageError(`${flag} must be a field path such as userId or meta.kind (no leading $ or dot, no spaces), got '${raw}'`);
  return name;
}

function fieldList(flag: string, raw: string): string[] {
  const fields = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (fields.length === 0) throw new UsageError(`${flag} must list at least one field, e.g. msgId,readDateTime`);
  return [...new Set(fields.map((item) => field(flag, item)))];
}

function existingFile(flag: string, raw: string): string {
  const path = resolve(raw);
  if (!existsSync(path)) throw new UsageError(`${flag}: no such file ${raw}`);
  if (!statSync(path).isFile()) throw new UsageError(`${flag}: ${raw} is not a file`);
  return path;
}
