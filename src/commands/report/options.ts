import { extname, resolve } from 'node:path';
import { REPORT_FORMATS, WIDE_FLAG, type ReportFormat } from '../../lib/common-options.js';
import { UsageError } from '../../lib/errors.js';
import type { FlagSpec } from '../../lib/flags.js';

export const REPORT_FLAGS: FlagSpec[] = [
  {
    flags: '--out <file>',
    description: 'the report to write; the format follows the extension (without --out: print it as the command printed it)',
    allowed: REPORT_FORMATS.map((format) => `.${format}`).join(', '),
  },
  { flags: '--no-redact', description: 'keep hostnames in the report (credentials are never written)' },
  WIDE_FLAG,
];

/** Raw strings from commander for `imdiag report RESULT.json --out FILE`. */
export interface RawReportOptions {
  out?: string;
  redact?: boolean;
  wide?: boolean;
}

/** `imdiag report RESULT.json` without --out: the terminal rendering, on stdout. */
export interface ShowOptions {
  input: string;
  inputPath: string;
  wide: boolean;
}

export interface ReportOptions {
  /** The saved result, as the user wrote it (for messages) and resolved. */
  input: string;
  inputPath: string;
  out: string;
  outPath: string;
  format: ReportFormat;
  redact: boolean;
}

/** `imdiag report RESULT.json`: show it (no --out) or write a report (--out). */
export function validateReportOptions(input: string | undefined, raw: RawReportOptions, cwd: string = process.cwd()): ReportOptions | ShowOptions {
  if (input === undefined || input.trim() === '') {
    throw new UsageError('report needs the result file to render: imdiag report RESULT.json [--out FILE.md|.html|.json]');
  }
  if (raw.out === undefined) return { input, inputPath: resolve(cwd, input), wide: raw.wide === true };
  if (raw.out.trim() === '') throw new UsageError('--out needs the report file to write, ending in .md, .html or .json');
  const format = extname(raw.out).slice(1).toLowerCase();
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--out must name a file ending in .md, .html or .json, got '${raw.out}'`);
  }
  const inputPath = resolve(cwd, input);
  const outPath = resolve(cwd, raw.out);
  if (inputPath === outPath) throw new UsageError(`--out must not be the result file itself (${input}); pick another name`);
  return { input, inputPath, out: raw.out, outPath, format: format as ReportFormat, redact: raw.redact !== false };
}
