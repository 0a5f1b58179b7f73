import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../lib/errors.js';
import { parseInteger } from '../../lib/validate.js';
import type { QuerySpec } from '../../engines/query/spec.js';
import { parseJsonObject, parsePipeline } from './ejson.js';
import { refuseWrites } from './read-only.js';

/** Raw strings from commander for what `imdiag query` measures: a query given with flags, or the queries a server recorded. */
export interface RawQuerySource {
  collection?: string;
  filter?: string;
  projection?: string;
  sort?: string;
  limit?: string;
  batchSize?: string;
  aggregate?: string;
  distinct?: string;
  fromProfile?: boolean;
  fromLog?: string;
}

/** The query to measure; the log's text is read by the command, not here. */
export type CommandQuerySource = { kind: 'flags'; spec: QuerySpec } | { kind: 'profile' } | { kind: 'log'; file: string };

export const BATCH_SIZE_LIMITS = { min: 1, max: 1_000_000 } as const;

// MongoDB field paths: no leading $, no empty segment.
const FIELD = /^[^$.\s][^\s]*$/;

export function querySource(raw: RawQuerySource): CommandQuerySource {
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
  const batchSize = raw.batchSize === undefined ? undefined : parseInteger('--batch-size', raw.batchSize, BATCH_SIZE_LIMITS.min, BATCH_SIZE_LIMITS.max);
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

export function field(flag: string, raw: string): string {
  const name = raw.trim();
  if (!FIELD.test(name)) throw new UsageError(`${flag} must be a field path such as userId or meta.kind (no leading $ or dot, no spaces), got '${raw}'`);
  return name;
}

export function fieldList(flag: string, raw: string): string[] {
  const fields = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (fields.length === 0) throw new UsageError(`${flag} must list at least one field, e.g. msgId,readDateTime`);
  return [...new Set(fields.map((item) => field(flag, item)))];
}

export function existingFile(flag: string, raw: string): string {
  const path = resolve(raw);
  if (!existsSync(path)) throw new UsageError(`${flag}: no such file ${raw}`);
  if (!statSync(path).isFile()) throw new UsageError(`${flag}: ${raw} is not a file`);
  return path;
}
