import { bytesHuman, count } from '../../lib/format.js';
import type { DoctorResult } from '../../results/doctor.js';
import { bullets, facts, paragraph, present, right, section, table, type Block, type ReportDoc, type Section } from '../model.js';
import { evidenceText } from './terminal.js';

/** `imdiag doctor` as a report for the ticket: the verdict, each finding with its evidence lines quoted, the next commands. */
export function doctorDoc(result: DoctorResult): ReportDoc {
  return {
    title: `imdiag doctor: ${result.options.input === '-' ? 'stdin' : result.options.input}`,
    verdict: [result.verdict.join(' ')],
    sections: present([findingsSection(result), snapshotSection(result), nextSection(result), inputSection(result)]),
  };
}

function findingsSection(result: DoctorResult): Section {
  const blocks: Block[] = [];
  for (const finding of result.findings) {
    blocks.push(paragraph({ strong: finding.topic }, `: ${finding.text}`));
    if (finding.evidence.length > 0) blocks.push({ kind: 'code', language: 'text', text: finding.evidence.map(evidenceText).join('\n') });
  }
  return section('What the input says', 'findings', ...blocks);
}

function snapshotSection(result: DoctorResult): Section | undefined {
  const snapshot = result.snapshot;
  if (!snapshot) return undefined;
  if (snapshot.status !== 'analysed')
    return section(
      'Near-limit snapshot',
      'snapshot',
      paragraph({ code: snapshot.path }, `: ${snapshot.status}${snapshot.reason ? ` — ${snapshot.reason}` : ''}`),
    );
  return section(
    'Near-limit snapshot',
    'snapshot',
    facts([
      ['File', { code: snapshot.path }],
      ['Heap in the snapshot', bytesHuman(snapshot.totalSizeBytes)],
      ['Largest object held by', snapshot.largestRetainers ? { code: snapshot.largestRetainers } : undefined],
    ]),
    table(
      ['class', right('count'), right('retained')],
      snapshot.classes.map((row) => [row.className, count(row.count), bytesHuman(row.retainedSizeBytes)]),
      "Retained size as imdiag heap computes it; the snapshot was written with V8's internals exposed, so internal objects have sizes of their own.",
    ),
  );
}

function nextSection(result: DoctorResult): Section {
  return section('Next', 'next', ...result.next.flatMap((step): Block[] => [{ kind: 'code', language: 'sh', text: step.command }, paragraph(step.why)]));
}

function inputSection(result: DoctorResult): Section {
  return section(
    'Input',
    'input',
    facts([
      ['Read', result.options.input === '-' ? 'stdin' : { code: result.options.input }],
      ['Format', result.input.format === 'report' ? "Node's diagnostic report (JSON)" : 'text log'],
      ['Size', `${bytesHuman(result.input.bytes)}${result.input.format === 'text' ? `, ${count(result.input.lines)} lines` : ''}`],
      ['Lines read out of JSON wrappers', result.input.unwrappedLines > 0 ? count(result.input.unwrappedLines) : undefined],
      ['Node (report)', result.report?.nodeVersion],
      ['Command line (report)', result.report ? { code: result.report.commandLine.join(' ') } : undefined],
    ]),
    bullets(
      result.options.showSecrets
        ? ['--show-secrets: command lines and frame arguments quoted in full.']
        : ['Environment variables, command-line values and heap strings are left out.'],
    ),
  );
}
