import type { ReportFormat } from '../lib/common-options.js';
import { hasData, maskData, revealData } from '../lib/data-strings.js';
import { UsageError } from '../lib/errors.js';
import type { AnyResult, ResultOf } from '../results/by-command.js';
import { watchDoc } from './watch/document.js';
import { heapDiffDoc, heapDoc } from './heap/document.js';
import { queryDoc } from './query/document.js';
import { compareUnreadDoc } from './compare-unread/document.js';
import { floodDoc } from './flood/document.js';
import { seedDoc } from './seed/document.js';
import { floodTargetDoc } from './flood-target/document.js';
import { doctorDoc } from './doctor/document.js';
import { leakDoc } from './leak/document.js';
import { toHtml } from './html/page.js';
import { toMarkdown } from './markdown.js';
import type { ReportDoc, Section } from './model.js';
import { redactResult, removeCredentials } from './redact.js';
import { closingSections, footerText, problemsSection } from './sections.js';

/** Every result a report can be rendered from, told apart by `command`: all but heap capture's and heap redact's (a snapshot file is their report). */
export type ReportableResult = Exclude<AnyResult, { command: 'heap-capture' | 'heap-redact' }>;

export interface RenderOptions {
  /** Replace hostnames too (the default; --no-redact keeps them). Credentials are always removed. */
  redact: boolean;
  /** Show the analysed process's data (a heap's string values, data-like keys) instead of masking it (--show-strings). */
  showStrings?: boolean;
  /** The key of the masks' hashes; drawn at random per report when absent (src/lib/data-strings.ts). */
  maskKey?: Uint8Array;
}

/** The report file's content for a format. Pure: the same result gives the same text. */
export function renderReport(result: ReportableResult, format: ReportFormat, options: RenderOptions): string {
  if (format === 'json') return renderJson(result, options);
  return format === 'md' ? renderMarkdown(result, options) : renderHtml(result, options);
}

export function renderMarkdown(result: ReportableResult, options: RenderOptions): string {
  return toMarkdown(reportDoc(prepare(result, options), options.redact));
}

export function renderHtml(result: ReportableResult, options: RenderOptions): string {
  const shown = prepare(result, options);
  return toHtml(reportDoc(shown, options.redact), footerText(shown));
}

/** The result object itself, `schemaVersion` first, as `--json` prints it. */
export function renderJson(result: ReportableResult, options: RenderOptions): string {
  const { schemaVersion, ...rest } = prepare(result, options);
  return `${JSON.stringify({ schemaVersion, ...rest }, null, 2)}\n`;
}

function prepare<R extends ReportableResult>(result: R, options: RenderOptions): R {
  // The one place a report's data strings are masked or shown (src/lib/data-strings.ts).
  const shown = !hasData(result) ? result : options.showStrings ? revealData(result) : maskData(result, options.maskKey);
  // --no-redact keeps hostnames; credentials are never written (a saved result may still hold some).
  return options.redact ? redactResult(shown) : removeCredentials(shown);
}

/** Verdict first, the command's own sections, then problems, how to reproduce, and the environment. */
export function reportDoc(result: ReportableResult, redacted: boolean): ReportDoc {
  const doc = commandDoc(result);
  const problems = problemsSection(result);
  const sections: Section[] = [...(problems ? [problems] : []), ...doc.sections, ...closingSections(result, redacted)];
  return { ...doc, sections };
}

/** Each command's document, by the command that made the result. */
const DOCUMENTS: { [C in ReportableResult['command']]: (result: ResultOf<C>) => ReportDoc } = {
  seed: seedDoc,
  'compare-unread': compareUnreadDoc,
  flood: floodDoc,
  'flood-target': floodTargetDoc,
  heap: heapDoc,
  'heap-diff': heapDiffDoc,
  query: queryDoc,
  watch: watchDoc,
  doctor: doctorDoc,
  leak: leakDoc,
};

function commandDoc(result: ReportableResult): ReportDoc {
  const document = (DOCUMENTS as Record<string, ((result: ReportableResult) => ReportDoc) | undefined>)[result.command];
  if (document) return document(result);
  // Reached only by a result whose command this imdiag has no report for.
  const names = Object.keys(DOCUMENTS);
  throw new UsageError(`no report for command '${result.command}'; reports exist for ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
}
