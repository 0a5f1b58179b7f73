import { parseArgs } from 'node:util';
import { validateTargetOptions } from '../src/lib/common-options.js';
import { UsageError } from '../src/lib/errors.js';
import { formatDuration, parseChoice, parseDuration, parseInteger, parseList, parseNumber } from '../src/lib/validate.js';

/**
 * A benchmark's command line: node:util parseArgs (strict: unknown flags and stray words are
 * errors) and src/lib/validate.ts's parsers, so a bad value is the same one line, naming the flag
 * and what is allowed, as in imdiag itself. `--help` lists the flags from the same table.
 */

/** A flag that takes a value: `parse` turns the raw string (or undefined when absent) into T. */
export interface ValueFlag<T> {
  help: string;
  /** What --help shows as the value: `<n>`, `<time>`, `<list>`. */
  value: string;
  parse(flag: string, raw: string | undefined): T;
}

/** A flag without a value: true when given. */
export interface SwitchFlag {
  help: string;
  switch: true;
}

export type BenchFlags = Record<string, ValueFlag<unknown> | SwitchFlag>;
export type BenchValues<F extends BenchFlags> = { [K in keyof F]: F[K] extends ValueFlag<infer T> ? T : boolean };

const described = (help: string, facts: string[]) => `${help} (${facts.join('; ')})`;

export const flag = {
  switch: (help: string): SwitchFlag => ({ help, switch: true }),
  integer: (help: string, fallback: number, min: number, max: number): ValueFlag<number> => ({
    help: described(help, [`default: ${fallback}`, `allowed: ${min}-${max}`]),
    value: '<n>',
    parse: (name, raw) => parseInteger(name, raw ?? fallback, min, max),
  }),
  number: (help: string, fallback: number, min: number, max: number): ValueFlag<number> => ({
    help: described(help, [`default: ${fallback}`, `allowed: ${min}-${max}`]),
    value: '<x>',
    parse: (name, raw) => parseNumber(name, raw ?? fallback, min, max),
  }),
  /** Milliseconds, from `500ms`, `30s`, `2m` or plain seconds. */
  duration: (help: string, fallback: string, minMs: number, maxMs: number): ValueFlag<number> => ({
    help: described(help, [`default: ${fallback}`, `allowed: ${formatDuration(minMs)}-${formatDuration(maxMs)}`]),
    value: '<time>',
    parse: (name, raw) => parseDuration(name, raw ?? fallback, minMs, maxMs),
  }),
  choice: <T extends string>(help: string, fallback: T, allowed: readonly T[]): ValueFlag<T> => ({
    help: described(help, [`default: ${fallback}`, `allowed: ${allowed.join(', ')}`]),
    value: '<name>',
    parse: (name, raw) => parseChoice(name, raw ?? fallback, allowed),
  }),
  list: <T extends string>(help: string, fallback: readonly T[], allowed: readonly T[]): ValueFlag<T[]> => ({
    help: described(help, [`default: ${fallback.join(',')}`, `allowed: any of ${allowed.join(', ')}`]),
    value: '<list>',
    parse: (name, raw) => parseList(name, raw ?? fallback.join(','), allowed),
  }),
  /** A comma-separated list of whole numbers, each from min to max. */
  integers: (help: string, fallback: readonly number[], min: number, max: number): ValueFlag<number[]> => ({
    help: described(help, [`default: ${fallback.join(',')}`, `allowed: each ${min}-${max}`]),
    value: '<n,n…>',
    parse: (name, raw) => {
      if (raw === undefined) return [...fallback];
      const items = raw.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) throw new UsageError(`${name} must be whole numbers from ${min} to ${max}, separated by commas, got '${raw}'`);
      return [...new Set(items.map((item) => parseInteger(name, item, min, max)))];
    },
  }),
  /** Free text, such as a directory or a collection name; `fallback` undefined: absent stays undefined. */
  text: <D extends string | undefined>(help: string, fallback: D): ValueFlag<string | D> => ({
    help: fallback === undefined ? help : described(help, [`default: ${fallback}`]),
    value: '<text>',
    parse: (name, raw) => {
      if (raw !== undefined && raw.trim() === '') throw new UsageError(`${name} must not be empty`);
      return raw ?? fallback;
    },
  }),
  /** A MongoDB connection string, checked as imdiag checks --uri; absent: the benchmark starts a throw-away mongod. */
  uri: (): ValueFlag<string | undefined> => ({
    help: 'MongoDB connection string (default: a throw-away mongod through mongodb-memory-server, MONGOMS_SYSTEM_BINARY honoured)',
    value: '<uri>',
    parse: (_name, raw) => (raw === undefined ? undefined : validateTargetOptions({ uri: raw }, {}).uri),
  }),
  /** A database name, checked as imdiag checks --db. */
  db: (fallback: string): ValueFlag<string> => ({
    help: described('database to measure in', [`default: ${fallback}`]),
    value: '<name>',
    parse: (_name, raw) => validateTargetOptions({ db: raw ?? fallback }, {}).db,
  }),
};

/** Absent stays undefined; present is parsed as `inner` parses it. */
export function optional<T>(inner: ValueFlag<T>, help: string): ValueFlag<T | undefined> {
  return { help, value: inner.value, parse: (name, raw) => (raw === undefined ? undefined : inner.parse(name, raw)) };
}

const isSwitch = (spec: ValueFlag<unknown> | SwitchFlag): spec is SwitchFlag => 'switch' in spec;

/** The --help text: usage, what the benchmark measures, one line a flag. */
export function benchHelp(usage: string, about: string, flags: BenchFlags): string {
  const rows = Object.entries(flags).map(([name, spec]) => [`--${name}${isSwitch(spec) ? '' : ` ${spec.value}`}`, spec.help] as const);
  rows.push(['--help', 'print this list and exit']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [usage, about, '', ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`), ''].join('\n');
}

/** Pure: argv → typed values, or 'help', or a one-line UsageError. */
export function parseBenchArgs<F extends BenchFlags>(flags: F, argv: string[]): BenchValues<F> | 'help' {
  const options = Object.fromEntries(Object.entries(flags).map(([name, spec]) => [name, { type: isSwitch(spec) ? 'boolean' : 'string' }] as const));
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(parseError(error as Error & { code?: string }, Object.keys(flags)));
  }
  if (values.help) return 'help';
  return Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [name, isSwitch(spec) ? values[name] === true : spec.parse(`--${name}`, values[name] as string | undefined)]),
  ) as BenchValues<F>;
}

function parseError(error: Error & { code?: string }, names: string[]): string {
  const known = `flags: ${names.map((name) => `--${name}`).join(', ')}, --help`;
  const quoted = /'([^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${quoted ?? ''}; ${known}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${quoted ?? ''}': a benchmark takes flags only; ${known}`;
  // ERR_PARSE_ARGS_INVALID_OPTION_VALUE: a value missing or starting with '-' (`--rounds -1`), or given to a switch (`--json=1`).
  const name = /'(--[\w-]+)/.exec(error.message)?.[1];
  if (name && /does not take an argument/.test(error.message)) return `${name} is a switch and takes no value`;
  if (name && /ambiguous/.test(error.message)) return `${name} needs a value; one that starts with '-' goes as ${name}=-…`;
  if (name && /missing/.test(error.message)) return `${name} needs a value`;
  return error.message.split('\n')[0]!;
}

/**
 * The benchmark's values from process.argv. `--help` prints the list and exits 0; a bad flag or
 * value prints one line, `bench:name: …`, and exits 2, before anything is started.
 */
export function benchArgs<F extends BenchFlags>(bench: { name: string; about: string; usage?: string }, flags: F): BenchValues<F> {
  try {
    const values = parseBenchArgs(flags, process.argv.slice(2));
    if (values !== 'help') return values;
    process.stdout.write(benchHelp(bench.usage ?? `npm run ${bench.name} -- [flags]`, bench.about, flags));
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${bench.name}: ${error.message}\n`);
    process.exit(2);
  }
}
