import { SCHEMA_VERSION, type CommandName } from '../lib/result.js';
import { UsageError } from '../lib/errors.js';
import type { ReportableResult } from './render.js';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string[]';

/**
 * What a saved result must contain for its report to render, per command. Not the whole type:
 * enough that a truncated file, another tool's JSON or a hand edit gives a one-line error naming the
 * field instead of a stack trace from deep inside a renderer. `a[].b`: field b of every item of a.
 */
const COMMON: Record<string, Kind> = {
  command: 'string',
  imdiagVersion: 'string',
  startedAt: 'string',
  finishedAt: 'string',
  argv: 'string[]',
  environment: 'object',
  'environment.node': 'string',
  'environment.platform': 'string',
  'environment.hostname': 'string',
  'environment.cpus': 'number',
  problems: 'string[]',
};

export const REQUIRED_FIELDS: Record<CommandName, Record<string, Kind>> = {
  seed: {
    database: 'object',
    'database.name': 'string',
    dataset: 'object',
    'dataset.profile': 'string',
    'dataset.params': 'object',
    collections: 'array',
    'collections[].name': 'string',
    'collections[].documents': 'number',
    heavyUser: 'object',
    'heavyUser.userId': 'string',
    busiestOther: 'object',
    load: 'object',
    'load.documents': 'number',
  },
  'compare-unread': {
    options: 'object',
    'options.user': 'string',
    'options.strategies': 'string[]',
    'options.runs': 'number',
    dataset: 'object',
    'dataset.counts': 'object',
    'dataset.user': 'object',
    strategies: 'array',
    'strategies[].name': 'string',
    'strategies[].status': 'string',
    'strategies[].notes': 'string[]',
    agreement: 'object',
    'agreement.checks': 'array',
    verdict: 'object',
    'verdict.text': 'string',
  },
  flood: {
    params: 'object',
    'params.rate': 'number',
    'params.strategies': 'string[]',
    runs: 'array',
    'runs[].strategy': 'string',
    'runs[].outcome': 'string',
    'runs[].verdict': 'string',
    'runs[].trend': 'object',
    'runs[].heap': 'object',
    'runs[].server': 'object',
    'runs[].producers': 'object',
    'runs[].monitors': 'object',
    'runs[].monitors.fast': 'object',
    'runs[].samples': 'array',
    'runs[].samples[].tMs': 'number',
    'runs[].samples[].heapUsedBytes': 'number',
    'runs[].samples[].bufferedSumBytes': 'number',
    warnings: 'string[]',
  },
  heap: {
    options: 'object',
    snapshot: 'object',
    'snapshot.path': 'string',
    'snapshot.totalSizeBytes': 'number',
    'snapshot.classes': 'array',
    'snapshot.classes[].className': 'string',
    'snapshot.classes[].retainedSizeBytes': 'number',
    'snapshot.largest': 'array',
    'snapshot.largest[].name': 'string',
    'snapshot.strings': 'object',
    'snapshot.strings.top': 'array',
  },
  'heap-diff': {
    snapshots: 'array',
    'snapshots[].path': 'string',
    sameProcess: 'object',
    'sameProcess.sameProcess': 'boolean',
    classes: 'array',
    'classes[].className': 'string',
    'classes[].retainedAfter': 'number',
    conditions: 'array',
  },
  watch: {
    params: 'object',
    'params.source': 'string',
    target: 'object',
    'target.label': 'string',
    outcome: 'string',
    watchedMs: 'number',
    analysis: 'object',
    'analysis.verdict': 'string',
    'analysis.series': 'array',
    'analysis.series[].series': 'string',
    'analysis.series[].trend': 'object',
    samples: 'array',
    'samples[].tMs': 'number',
    conditions: 'array',
    notes: 'string[]',
  },
  'heap-capture': {
    out: 'string',
    capture: 'object',
    'capture.pid': 'number',
    'capture.bytesWritten': 'number',
  },
  'flood-target': {
    params: 'object',
    'params.target': 'string',
    'params.rate': 'number',
    outcome: 'string',
    durationMs: 'number',
    producers: 'object',
    'producers.ok': 'number',
    'producers.scheduled': 'number',
    staleness: 'array',
    verdict: 'string',
    failOn: 'array',
    warnings: 'string[]',
  },
  query: {
    options: 'object',
    'options.source': 'string',
    'options.variants': 'string[]',
    queries: 'array',
    'queries[].query': 'string',
    'queries[].count': 'number',
    'queries[].variants': 'array',
    'queries[].variants[].name': 'string',
    'queries[].variants[].status': 'string',
    'queries[].variants[].notes': 'string[]',
    verdict: 'object',
    'verdict.text': 'string',
    'verdict.lines': 'string[]',
    failOn: 'array',
  },
};

const COMMANDS = Object.keys(REQUIRED_FIELDS) as CommandName[];

/** Parses a saved result (`--json` output or a `--report x.json` file) for `imdiag report`. */
export function parseSavedResult(text: string, file: string): ReportableResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); pass a result saved with --json or --report FILE.json`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${file} is not an imdiag result: expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  const record = value as Record<string, unknown>;
  if (!('schemaVersion' in record)) throw new UsageError(`${file} is not an imdiag result: it has no schemaVersion`);
  if (record.schemaVersion !== SCHEMA_VERSION) {
    throw new UsageError(`${file} has result schemaVersion ${JSON.stringify(record.schemaVersion)}; this imdiag reads schemaVersion ${SCHEMA_VERSION}`);
  }
  const command = record.command;
  if (typeof command !== 'string' || !(COMMANDS as string[]).includes(command)) {
    throw new UsageError(`${file} is a result of unknown command ${JSON.stringify(command)}; expected one of ${COMMANDS.join(', ')}`);
  }
  const problem = shapeProblem(record, { ...COMMON, ...REQUIRED_FIELDS[command as CommandName] });
  if (problem) throw new UsageError(`${file} is not a complete ${command} result: ${problem}`);
  return value as ReportableResult;
}

/** The first required field that is missing or of the wrong kind, described; undefined when all fit. */
export function shapeProblem(root: unknown, required: Record<string, Kind>): string | undefined {
  for (const [path, kind] of Object.entries(required)) {
    for (const [where, value] of resolve(root, path.split('.'), '')) {
      if (!isKind(value, kind)) return `${where} should be ${article(kind)}, got ${describe(value)}`;
    }
  }
  return undefined;
}

function resolve(value: unknown, steps: string[], where: string): Array<[string, unknown]> {
  if (steps.length === 0) return [[where, value]];
  const [step, ...rest] = steps as [string, ...string[]];
  const each = step.endsWith('[]');
  const key = each ? step.slice(0, -2) : step;
  const child = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  const path = where ? `${where}.${key}` : key;
  if (!each) return resolve(child, rest, path);
  if (!Array.isArray(child)) return [[path, child]];
  return child.flatMap((item, index) => resolve(item, rest, `${path}[${index}]`));
}

function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'array':
      return Array.isArray(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === kind;
  }
}

function article(kind: Kind): string {
  return { string: 'a string', number: 'a number', boolean: 'true or false', object: 'an object', array: 'an array', 'string[]': 'an array of strings' }[kind];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value).slice(0, 40);
}
