import { extname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { ensureWritableFile } from './fs-checks.js';
import { UsageError } from './errors.js';
import { redactText } from './mongo/redact.js';
import type { FlagSpec } from './flags.js';
import { defaultDataDir } from './mongo/data-dir.js';
import type { TargetOptions } from './mongo/target.js';

/** Raw strings from commander for the options every MongoDB command shares. */
export interface RawTargetOptions {
  uri?: string;
  db?: string;
  dataDir?: string;
}

/** Raw strings from commander for the options every command shares. */
export interface RawOutputOptions {
  json?: boolean;
  report?: string;
  redact?: boolean;
  showStrings?: boolean;
  wide?: boolean;
}

export interface OutputOptions {
  json: boolean;
  /** Absolute path; the format follows the extension. */
  report: string | undefined;
  reportFormat: ReportFormat | undefined;
  redact: boolean;
  /** Show the analysed process's data (a heap's strings) in --json and reports; the terminal always shows it. */
  showStrings: boolean;
  /** Every table column, whatever the terminal's width. */
  wide: boolean;
}

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;

export const DEFAULT_DB = 'imdiag';

/** --uri, --db, --data-dir: where the WebIM data lives. */
export const TARGET_FLAGS: FlagSpec[] = [
  {
    flags: '--uri <uri>',
    description: 'MongoDB connection string (standalone, replica set or mongos)',
    default: 'an embedded mongod',
    env: 'IMDIAG_MONGODB_URI',
  },
  { flags: '--db <name>', description: "database name (not MongoDB's own admin, local or config)", default: DEFAULT_DB },
  { flags: '--data-dir <dir>', description: 'data directory of the embedded mongod', default: '~/.cache/imdiag/mongodb' },
];

/** --wide: tables fit the terminal (its width, else $COLUMNS, else 100) and name what they leave out; --wide shows it all. */
export const WIDE_FLAG: FlagSpec = { flags: '--wide', description: 'show every table column, however wide the table (default: fit the terminal)' };

/** --json, --report, --no-redact, --wide: where the result goes and how it is printed. */
export const OUTPUT_FLAGS: FlagSpec[] = [
  { flags: '--json', description: 'print only the result object (JSON) on stdout' },
  {
    flags: '--report <file>',
    description: 'also write a report; the format follows the extension',
    allowed: REPORT_FORMATS.map((format) => `.${format}`).join(', '),
  },
  { flags: '--no-redact', description: 'keep hostnames in reports (credentials are never written)' },
  WIDE_FLAG,
];
/** --show-strings, for the commands whose results carry a heap's strings. */
export const SHOW_STRINGS_FLAG: FlagSpec = {
  flags: '--show-strings',
  description:
    "write the heap's string values and data-like keys into --json and reports (masked there by default as ‹length, character classes, keyed hash›; the terminal shows them)",
};

export type ReportFormat = (typeof REPORT_FORMATS)[number];

// MongoDB's own limits on database names: no /\. "$*<>:|? or space, fewer than 64 bytes.
const DB_NAME = /^[^/\\. "$*<>:|?]{1,63}$/;

export function validateTargetOptions(raw: RawTargetOptions, env: NodeJS.ProcessEnv = process.env): TargetOptions {
  const uri = raw.uri ?? (env.IMDIAG_MONGODB_URI || undefined);
  if (uri !== undefined && !/^mongodb(\+srv)?:\/\/[^/?#]+/i.test(uri)) {
    throw new UsageError(`--uri must be a MongoDB connection string (mongodb://host:port or mongodb+srv://host), got '${uri.replace(/\/\/[^/]*@/, '//***@')}'`);
  }
  if (uri !== undefined) checkDriverAccepts(uri);
  const db = raw.db ?? DEFAULT_DB;
  if (!DB_NAME.test(db) || Buffer.byteLength(db) > 63) {
    throw new UsageError(`--db must be a MongoDB database name (1-63 bytes, none of /\\. "$*<>:|? or spaces), got '${db}'`);
  }
  if (['admin', 'local', 'config'].includes(db)) {
    throw new UsageError(`--db must not be MongoDB's own '${db}' database; pick a name of your own such as imdiag`);
  }
  const dataDir = resolve(raw.dataDir ?? defaultDataDir());
  return { uri, db, dataDir };
}

export function validateOutputOptions(raw: RawOutputOptions): OutputOptions {
  let reportFormat: ReportFormat | undefined;
  if (raw.report !== undefined) {
    const extension = extname(raw.report).slice(1).toLowerCase();
    if (!(REPORT_FORMATS as readonly string[]).includes(extension)) {
      throw new UsageError(`--report must name a file ending in .md, .html or .json, got '${raw.report}'`);
    }
    reportFormat = extension as ReportFormat;
    // Checked before the run, not after it: a long measurement must not be lost to a typo or a read-only place.
    ensureWritableFile('--report', resolve(raw.report));
  }
  return {
    json: raw.json === true,
    report: raw.report === undefined ? undefined : resolve(raw.report),
    reportFormat,
    redact: raw.redact !== false,
    showStrings: raw.showStrings === true,
    wide: raw.wide === true,
  };
}

/**
 * The driver parses a connection string when the client is built, before any connection: what it
 * rejects (a port above 65535, an unknown option, an unescaped `@` or `:` in the password, a bad
 * `%` escape, an unknown authMechanism) is bad input, one line naming --uri, credentials removed.
 */
function checkDriverAccepts(uri: string): void {
  // Loaded here, not at start-up: every command's validation imports this file, and the driver is a
  // third of imdiag's start-up time (`--version`, `--help`, a bad flag).
  const { MongoClient } = createRequire(import.meta.url)('mongodb') as typeof import('mongodb');
  try {
    new MongoClient(uri, { serverSelectionTimeoutMS: 1 });
  } catch (error) {
    const reason = redactText(error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new UsageError(`--uri '${redactText(uri)}' is not a connection string the MongoDB driver accepts: ${reason}`);
  }
}
