import type { OutputOptions } from '../../lib/common-options.js';
import { hasData, maskData, revealData } from '../../lib/data-strings.js';
import { CheckError } from '../../lib/errors.js';
import type { Reporter } from '../../lib/progress.js';
import type { BaseResult } from '../../lib/result.js';
import { styleFor, type Style } from '../../lib/style.js';
import { terminalWidth, type TerminalLayout } from '../../report/terminal-text.js';

export type TextRenderer<R> = (result: R, style: Style, layout: TerminalLayout) => string;

/** The width the text fits, decided here and handed to the renderers as data: the terminal's, else $COLUMNS, else 100. */
export function stdoutLayout(wide: boolean): TerminalLayout {
  return { width: terminalWidth(process.stdout.isTTY ? process.stdout.columns : undefined, process.env), wide };
}

/**
 * Prints a handler's result: the JSON object alone on stdout with --json, the rendered text
 * otherwise; writes the --report file; then turns recorded problems into exit code 1.
 */
export async function emit<R extends BaseResult>(result: R, render: TextRenderer<R>, output: OutputOptions, reporter: Reporter): Promise<void> {
  // The process's data in a result (a heap's strings, src/lib/data-strings.ts): shown on the terminal,
  // masked in --json and reports unless --show-strings.
  const marked = hasData(result);
  const json = () => (marked ? (output.showStrings ? revealData(result) : maskData(result)) : result);
  process.stdout.write(
    output.json ? `${JSON.stringify(json(), null, 2)}\n` : render(marked ? revealData(result) : result, styleFor('stdout'), stdoutLayout(output.wide)),
  );
  if (output.report && output.reportFormat) {
    const { writeReport } = await import('../../report/write.js');
    await writeReport(result, { path: output.report, format: output.reportFormat, redact: output.redact, showStrings: output.showStrings });
    reporter.note(`report written to ${output.report}`);
  }
  if (result.problems.length > 0) {
    throw new CheckError(result.problems.join('; '));
  }
}
