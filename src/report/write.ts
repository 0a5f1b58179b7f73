import { writeFile } from 'node:fs/promises';
import type { ReportFormat } from '../lib/common-options.js';
import { UsageError } from '../lib/errors.js';
import type { BaseResult } from '../lib/result.js';

export interface ReportTarget {
  path: string;
  format: ReportFormat;
  redact: boolean;
}

// Markdown and HTML renderers arrive with issue #5; JSON is the result object itself.
export async function writeReport(result: BaseResult, target: ReportTarget): Promise<void> {
  if (target.format !== 'json') throw new UsageError(`--report: .${target.format} reports are not available yet; use .json`);
  await writeFile(target.path, `${JSON.stringify(result, null, 2)}\n`);
}
