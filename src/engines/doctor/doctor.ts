import { megabytes } from '../../lib/format.js';
import type { Progress } from '../../lib/progress.js';
import type { DoctorFinding, DoctorResult, SnapshotEvidence } from '../../results/doctor.js';
import { blame } from './blame.js';
import { readCrashLog, type LogFacts } from './crash-log.js';
import { crashFinding, outcomeOf, verdictLines } from './diagnose.js';
import { collectionsFinding, mutatorFinding, spaceFinding } from './findings.js';
import { lastFullCollections } from './gc-lines.js';
import { readInput } from './input.js';
import { heapLimit } from './limit.js';
import { nextSteps } from './next-steps.js';
import { readReport, type ReportReading } from './report-json.js';
import { analyseSnapshot, locateBeside } from './snapshot.js';

export interface DoctorParams {
  /** A file, or `-` for stdin. */
  input: string;
  /** --snapshot: a near-limit snapshot to read besides the one the log names. */
  snapshot: string | null;
  /** false with --no-snapshot: a named snapshot is not read (it may be large). */
  analyseSnapshot: boolean;
  showSecrets: boolean;
}

export type DoctorFigures = Omit<DoctorResult, keyof import('../../lib/result.js').BaseResult | 'options'>;

/** Reads a crash log or a diagnostic report and concludes what it can, each conclusion with its evidence. */
export async function diagnose(params: DoctorParams, startProgress: (label: string, bytes: number) => Progress, signal?: AbortSignal): Promise<DoctorFigures> {
  const input = await readInput(params.input, signal);
  const logPath = params.input === '-' ? null : params.input;
  const log: LogFacts | null = input.format === 'text' ? readCrashLog(input.kept, params.showSecrets) : null;
  const report: ReportReading | null =
    input.format === 'report' ? readReport(params.input, input.report, params.showSecrets) : await namedReport(log, logPath, params.showSecrets, signal);
  const snapshot = await snapshotEvidence(params, log, logPath, startProgress, signal);
  const gc = log?.gc ?? [];
  const outcome = outcomeOf(log?.fatal ?? null, gc.length, report?.oom ?? false, log?.kill ?? null);
  const limit = heapLimit(log?.cap ?? null, report, gc);
  const { full, freedNothing } = lastFullCollections(gc);
  const whose = blame(log, snapshot);
  const findings: DoctorFinding[] = [];
  if (outcome === 'v8-oom') {
    if (log)
      findings.push(
        crashFinding(
          log.fatal,
          gc.map((event) => event.evidence),
          log.crashes,
        ),
      );
    if (report)
      findings.push({
        topic: 'crash',
        text: `Node's diagnostic report of a fatal out-of-memory (${report.facts.nodeVersion ?? 'Node version unknown'})`,
        evidence: report.evidence.trigger ? [report.evidence.trigger] : [],
      });
    findings.push({ topic: 'limit', text: limit.text, evidence: limit.evidence });
    for (const finding of [collectionsFinding(gc), mutatorFinding(gc), spaceFinding(report?.facts ?? null)]) if (finding) findings.push(finding);
    findings.push({ topic: 'code', text: whose.text, evidence: whose.evidence });
  }
  if (log?.kill) {
    const rss = log.kill.rssKB ? `, ${megabytes(log.kill.rssKB * 1024)} resident` : '';
    const by = { kernel: "the kernel's OOM killer", container: "the container runtime's memory limit (OOMKilled)", 'exit-137': 'a SIGKILL (exit code 137)' }[
      log.kill.by
    ];
    findings.push({
      topic: 'kill',
      text: `killed from outside by ${by}${rss}: the machine's or the container's limit, not V8's — watch RSS (heap + external + native)`,
      evidence: log.kill.evidence,
    });
  }
  if (outcome === 'no-evidence') {
    findings.push({
      topic: 'stops',
      text: `no V8 out-of-memory evidence in ${input.lines.toLocaleString('en-US')} lines: no fatal error, no GC lines, no kill record — a log that just stops is not a diagnosis`,
      evidence: [],
    });
  }
  if (!params.showSecrets)
    findings.push({
      topic: 'secrets',
      text: 'environment variables, command-line values and heap strings quoted in frames are left out (--show-secrets shows command lines and frames in full)',
      evidence: [],
    });
  const next = nextSteps({
    outcome,
    blame: whose,
    freedNothing,
    snapshot,
    snapshotNamed: log?.snapshot?.path ?? null,
    hadReport: report !== null || log?.reportFile !== null,
    capMB: limit.source === 'cap' ? limit.limitMB : null,
  });
  return {
    input: { format: input.format, bytes: input.bytes, lines: input.lines, unwrappedLines: input.unwrappedLines },
    outcome,
    fatal: log?.fatal ?? null,
    gc,
    frames: log?.frames ?? [],
    limit,
    report: report?.facts ?? null,
    snapshot,
    kill: log?.kill ?? null,
    blame: whose,
    findings,
    next,
    verdict: verdictLines({
      outcome,
      fatal: log?.fatal ?? null,
      limit,
      freedNothing,
      fullCollections: full.length,
      gcLines: gc.length,
      blame: whose,
      kill: log?.kill ?? null,
      next,
    }),
  };
}

/** The diagnostic report the log says Node wrote (`Writing Node.js report to file: …`), when it is there. */
async function namedReport(log: LogFacts | null, logPath: string | null, showSecrets: boolean, signal?: AbortSignal): Promise<ReportReading | null> {
  const named = log?.reportFile?.path;
  const found = named === undefined ? null : locateBeside(named, logPath);
  if (found === null) return null;
  const read = await readInput(found, signal).catch(() => null);
  return read?.format === 'report' ? readReport(found, read.report, showSecrets) : null;
}

async function snapshotEvidence(
  params: DoctorParams,
  log: LogFacts | null,
  logPath: string | null,
  startProgress: (label: string, bytes: number) => Progress,
  signal?: AbortSignal,
): Promise<SnapshotEvidence | null> {
  const named = params.snapshot ?? log?.snapshot?.path ?? null;
  if (named === null) return null;
  const foundBy = params.snapshot !== null ? 'flag' : 'log';
  const base = { path: named, foundBy, totalSizeBytes: null, classes: [], topOwnClass: null, largestRetainers: null } as const;
  if (!params.analyseSnapshot) return { ...base, classes: [], status: 'skipped', reason: '--no-snapshot' };
  const found = locateBeside(named, logPath);
  if (found === null)
    return {
      ...base,
      classes: [],
      status: 'missing',
      reason: `not found here (as named${logPath ? ', nor beside the log' : ''}): copy it from the machine that crashed, or pass --snapshot FILE`,
    };
  return analyseSnapshot(found, foundBy, (bytes) => startProgress(`reading ${found}`, bytes), signal);
}
