import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../../lib/errors.js';
import type { CommandName } from '../../lib/result.js';
import { parseSavedResult } from '../../report/load.js';
import { writeReport } from '../../report/write.js';
import type { ReportOptions } from './options.js';

/** What `imdiag report` did. */
export interface ReportWritten {
  command: CommandName;
  format: ReportOptions['format'];
  out: string;
  bytes: number;
}

/** Renders a saved result again: `imdiag report RESULT.json --out FILE.md|.html|.json`. */
export async function report(options: ReportOptions): Promise<ReportWritten> {
  const text = await readInput(options);
  const result = parseSavedResult(text, options.input);
  await refuseToOverwriteInput(options);
  await writeReport(result, { path: options.outPath, format: options.format, redact: options.redact });
  return { command: result.command, format: options.format, out: options.out, bytes: (await stat(options.outPath)).size };
}

/** The saved result's text; a file that cannot be read is one line naming it. */
export async function readInput(options: Pick<ReportOptions, 'input' | 'inputPath'>): Promise<string> {
  try {
    return await readFile(options.inputPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read ${options.input}: ${why}`);
  }
}

/** The same file under another name (a link, `./x` against `x`) must not be overwritten either. */
async function refuseToOverwriteInput(options: ReportOptions): Promise<void> {
  const [input, out] = await Promise.all([stat(options.inputPath), stat(options.outPath).catch(() => undefined)]);
  if (out && out.ino === input.ino && out.dev === input.dev) {
    throw new UsageError(`--out ${options.out} is the result file itself; pick another name`);
  }
}
