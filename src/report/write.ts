import { writeFile } from 'node:fs/promises';
import type { ReportFormat } from '../lib/common-options.js';
import { UsageError } from '../lib/errors.js';
import type { BaseResult } from '../lib/result.js';
import { renderReport, type ReportableResult } from './render.js';

export interface ReportTarget {
  path: string;
  format: ReportFormat;
  redact: boolean;
  /** Show the analysed process's data (a heap's strings) instead of masking it. */
  showStrings?: boolean;
}

/** Writes a result as a Markdown, HTML or JSON report (the format chosen from the extension). */
export async function writeReport(result: BaseResult, target: ReportTarget): Promise<void> {
  const text = renderReport(result as ReportableResult, target.format, { redact: target.redact, showStrings: target.showStrings === true });
  try {
    await writeFile(target.path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot write the report to ${target.path}: ${code === 'ENOENT' ? 'its directory does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
    );
  }
}
