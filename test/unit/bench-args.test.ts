import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchHelp, flag, optional, parseBenchArgs } from '../../bench/args.js';
import { UsageError } from '../../src/lib/errors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const FLAGS = {
  uri: flag.uri(),
  db: flag.db('bench_query'),
  profile: flag.choice('dataset profile', 'demo', ['tiny', 'demo', 'article'] as const),
  rounds: flag.integer('rounds', 3, 1, 100),
  share: flag.number('share sampled', 0.01, 0.0001, 1),
  duration: flag.duration('each run', '3s', 1000, 600_000),
  variants: flag.list('variants', ['driver', 'lean'], ['driver', 'lean', 'raw'] as const),
  'heap-mb': flag.integers('MB held', [150, 600], 1, 6144),
  rate: optional(flag.number('', 0, 0.1, 50_000), 'fixed rate'),
  json: flag.switch('print JSON'),
};

function parse(argv: string[]) {
  return parseBenchArgs(FLAGS, argv);
}

function refusal(argv: string[]): string {
  try {
    parse(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('bench/args.ts: a benchmark command line as a table of argv → values', () => {
  it('gives every default when no flag is given', () => {
    expect(parse([])).toEqual({
      uri: undefined,
      db: 'bench_query',
      profile: 'demo',
      rounds: 3,
      share: 0.01,
      duration: 3000,
      variants: ['driver', 'lean'],
      'heap-mb': [150, 600],
      rate: undefined,
      json: false,
    });
  });

  it('parses each flag with src/lib/validate.ts', () => {
    const argv = ['--uri', 'mongodb://127.0.0.1:27017', '--db=mine', '--profile', 'tiny', '--rounds', '1', '--share', '0.5', '--duration', '2m'];
    argv.push('--variants', 'raw,driver', '--heap-mb', '20,20,40', '--rate', '250', '--json');
    expect(parse(argv)).toEqual({
      uri: 'mongodb://127.0.0.1:27017',
      db: 'mine',
      profile: 'tiny',
      rounds: 1,
      share: 0.5,
      duration: 120_000,
      variants: ['raw', 'driver'],
      'heap-mb': [20, 40],
      rate: 250,
      json: true,
    });
  });

  it.each([
    [['--rounds', '0'], '--rounds must be a whole number from 1 to 100, got 0'],
    [['--rounds', 'three'], "--rounds must be a whole number from 1 to 100, got 'three'"],
    [['--rounds'], '--rounds needs a value'],
    [['--rounds', '-1'], "--rounds needs a value; one that starts with '-' goes as --rounds=-…"],
    [['--share', '2'], '--share must be a number from 0.0001 to 1, got 2'],
    [['--duration', 'soon'], "--duration must be a duration such as 500ms, 30s, 2m or plain seconds, from 1s to 10m, got 'soon'"],
    [['--profile', 'huge'], "--profile must be one of tiny, demo, article, got 'huge'"],
    [['--variants', 'driver,fast'], "--variants: unknown 'fast'; allowed: driver, lean, raw"],
    [['--heap-mb', '100,,600'], "--heap-mb must be whole numbers from 1 to 6144, separated by commas, got '100,,600'"],
    [['--heap-mb', '100,9000'], '--heap-mb must be a whole number from 1 to 6144, got 9000'],
    [['--rate', '0'], '--rate must be a number from 0.1 to 50000, got 0'],
    [['--uri', 'localhost:27017'], "--uri must be a MongoDB connection string (mongodb://host:port or mongodb+srv://host), got 'localhost:27017'"],
    [['--db', 'admin'], "--db must not be MongoDB's own 'admin' database; pick a name of your own such as imdiag"],
    [['--json=yes'], '--json is a switch and takes no value'],
    [['--round', '2'], 'unknown flag --round; flags: --uri, --db, --profile, --rounds, --share, --duration, --variants, --heap-mb, --rate, --json, --help'],
    [
      ['2'],
      "unexpected argument '2': a benchmark takes flags only; flags: --uri, --db, --profile, --rounds, --share, --duration, --variants, --heap-mb, --rate, --json, --help",
    ],
  ])('refuses %j in one line naming the flag and what is allowed', (argv, message) => {
    const refused = refusal(argv);
    expect(refused).toBe(message);
    expect(refused).not.toContain('\n');
  });

  it('answers --help, whatever else is given', () => {
    expect(parse(['--help'])).toBe('help');
    expect(parse(['--rounds', '2', '--help'])).toBe('help');
  });

  it('lists every flag in --help, with its default and range', () => {
    const help = benchHelp('npm run bench:x -- [flags]', 'what it measures', FLAGS);
    for (const name of [...Object.keys(FLAGS), 'help']) expect(help).toContain(`--${name}`);
    expect(help).toContain('--rounds <n>');
    expect(help).toMatch(/--rounds <n> +rounds \(default: 3; allowed: 1-100\)/);
    expect(help).toMatch(/--duration <time> +each run \(default: 3s; allowed: 1s-10m\)/);
  });
});

describe('every benchmark', () => {
  const scripts = Object.entries((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts).filter(
    ([name]) => name.startsWith('bench:'),
  );

  it('has an npm script, run from the benchmark build', () => {
    const entries = scripts.map(([name, script]) => [name, /node (?:--expose-gc )?dist-bench\/bench\/([\w-]+)\.js$/.exec(script)?.[1]]);
    expect(entries.every(([name, file]) => `bench:${file}` === name)).toBe(true);
    const sources = readdirSync(join(root, 'bench')).filter((file) => /^\s*\* `npm run bench:/m.test(readFileSync(join(root, 'bench', file), 'utf8')));
    expect(sources.map((file) => `bench:${file.replace(/\.ts$/, '')}`).sort()).toEqual(scripts.map(([name]) => name).sort());
  });

  it.each(readdirSync(join(root, 'bench')).filter((file) => file.endsWith('.ts') && file !== 'args.ts'))(
    '%s parses its arguments through bench/args.ts only',
    (file) => {
      const source = readFileSync(join(root, 'bench', file), 'utf8');
      expect(source).not.toMatch(/parseArgs\(|process\.argv/);
      if (/^\s*\* `npm run bench:/m.test(source) || file.endsWith('-worker.ts')) expect(source).toMatch(/benchArgs\(/);
    },
  );
});
