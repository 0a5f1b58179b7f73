import { bytesHuman, count, NO_VALUE } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';
import type { DoctorResult, EvidenceLine } from '../../results/doctor.js';
import { DEFAULT_LAYOUT, finish, type TerminalLayout } from '../terminal-text.js';

/** `imdiag doctor` on a terminal: the three-line verdict, each finding over its evidence lines, the next commands. */
export function renderDoctor(result: DoctorResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const out: string[] = [];
  const source = result.options.input === '-' ? 'stdin' : result.options.input;
  const shape = result.input.format === 'report' ? `Node diagnostic report, ${bytesHuman(result.input.bytes)}` : `${count(result.input.lines)} lines`;
  out.push(
    style.dim(`imdiag doctor: ${source} (${shape}${result.input.unwrappedLines > 0 ? `, ${count(result.input.unwrappedLines)} unwrapped from JSON` : ''})`),
    '',
  );
  const [first, ...rest] = result.verdict;
  out.push(style.bold(first ?? NO_VALUE), ...rest, '');
  out.push(style.bold('What the input says'));
  for (const finding of result.findings) {
    out.push(`  ${style.cyan(finding.topic.padEnd(11))} ${finding.text}`);
    for (const line of finding.evidence) out.push(`  ${' '.repeat(11)} ${style.dim(evidenceText(line))}`);
  }
  if (result.snapshot?.status === 'analysed' && result.snapshot.classes.length > 0) {
    out.push('', style.bold(`Near-limit snapshot ${result.snapshot.path}`));
    for (const row of result.snapshot.classes) {
      out.push(`  ${row.className.slice(0, 40).padEnd(40)} ${count(row.count).padStart(10)} ${bytesHuman(row.retainedSizeBytes).padStart(10)}`);
    }
  } else if (result.snapshot) {
    out.push(
      '',
      `${style.yellow('snapshot')} ${result.snapshot.path}: ${result.snapshot.status}${result.snapshot.reason ? ` — ${result.snapshot.reason}` : ''}`,
    );
  }
  out.push('', style.bold('Next'));
  for (const step of result.next) out.push(`  ${style.green('$')} ${step.command}`, `    ${style.dim(step.why)}`);
  // Wrapped to the terminal's width (src/commands/common/emit.ts decides it), tables kept whole.
  return finish(out, layout);
}

/** `L42  FATAL ERROR: …`, or the field of a JSON document. */
export function evidenceText(line: EvidenceLine): string {
  return line.line === null ? `  ${line.text}` : `L${line.line}  ${line.text}`;
}
