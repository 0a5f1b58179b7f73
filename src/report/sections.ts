import type { BaseResult, ConditionOutcome } from '../lib/result.js';
import { count, duration, shellLine } from '../lib/format.js';
import { bullets, code, facts, paragraph, section, table, type Block, type Section } from './model.js';

/** The pieces every report shares: problems, how to reproduce, what it ran on. */

export function problemsSection(result: BaseResult): Section | undefined {
  if (result.problems.length === 0) return undefined;
  return section('Problems', 'problems', paragraph('These checks failed; the command exited with code 1.'), bullets(result.problems));
}

/** A command's warnings (figures to read with care), one list item each; nothing when there are none. */
export function warningsSection(warnings: readonly string[]): Section | undefined {
  if (warnings.length === 0) return undefined;
  return section('Warnings', 'warnings', bullets(warnings));
}

/** The --fail-on conditions and whether each holds; nothing when none was given. `id`: the section's anchor. */
export function failOnSection(outcomes: readonly ConditionOutcome[], id: string): Section | undefined {
  if (outcomes.length === 0) return undefined;
  const rows = outcomes.map((outcome) => [outcome.condition, outcome.held ? 'yes' : 'no', outcome.detail]);
  return section('--fail-on', id, table(['condition', 'holds', 'detail'], rows));
}

export function reproduceSection(result: BaseResult): Section {
  return section(
    'Reproduce',
    'reproduce',
    paragraph(
      `The command line of this run (imdiag ${result.imdiagVersion}); rerun it to measure again, or `,
      { code: 'imdiag report RESULT.json --out FILE' },
      ' to render a saved result.',
    ),
    { kind: 'code', language: 'sh', text: shellLine(result.argv[0] === 'imdiag' ? ['npx', ...result.argv] : result.argv) },
  );
}

export function environmentSection(result: BaseResult, redacted: boolean): Section {
  const env = result.environment;
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  const blocks: Block[] = [
    facts([
      ['imdiag', env.imdiag],
      ['Node.js', `${env.node} (V8 ${env.v8})`],
      ['MongoDB driver', env.mongo ? env.mongodbDriver : undefined],
      ['MongoDB server', env.mongo ? `${env.mongo.serverVersion} (${env.mongo.topology}${env.mongo.embedded ? ', embedded' : ''})` : undefined],
      ['MongoDB URI', code(env.mongo?.uri)],
      ['Database', code(env.mongo?.database)],
      ['OS', `${env.platform} ${env.osRelease} (${env.arch})`],
      ['CPUs', `${env.cpus} × ${env.cpuModel}`],
      ['Memory', `${count(env.totalMemoryMB)} MB`],
      ['Hostname', code(env.hostname)],
      ['Started', result.startedAt],
      ['Finished', `${result.finishedAt}${Number.isFinite(seconds) ? ` (${duration(seconds)})` : ''}`],
    ]),
  ];
  if (redacted)
    blocks.push(paragraph('Credentials and hostnames are redacted; ', { code: '--no-redact' }, ' keeps the hostnames (credentials are never written).'));
  return section('Environment', 'environment', ...blocks);
}

/** The sections that close every report, in order. */
export function closingSections(result: BaseResult, redacted: boolean): Section[] {
  return [reproduceSection(result), environmentSection(result, redacted)];
}

export function footerText(result: BaseResult): string {
  return `imdiag ${result.imdiagVersion} · ${result.command} · result schema v${result.schemaVersion} · ${result.finishedAt}`;
}
