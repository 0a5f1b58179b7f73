import { InputError } from '../../lib/errors.js';
import { megabytes } from '../../lib/format.js';
import type { DiagnosticReportFacts, EvidenceLine, HeapSpace } from '../../results/doctor.js';
import { EXPECTED } from './input.js';
import { capFromArgs, maskCommandLine } from './secrets.js';

/**
 * Node's diagnostic report (https://nodejs.org/api/report.html), as `--report-on-fatalerror` writes
 * it. Only what the diagnosis needs is read; `environmentVariables` is never copied (NODE_OPTIONS is
 * read for --max-old-space-size alone).
 */
export interface ReportReading {
  facts: DiagnosticReportFacts;
  oom: boolean;
  cap: { mb: number; evidence: EvidenceLine } | null;
  evidence: { trigger: EvidenceLine | null; limit: EvidenceLine | null; used: EvidenceLine | null };
}

/**
 * The young generation V8 reserves beside a --max-old-space-size cap, per Node major: what a report's
 * javascriptHeap.memoryLimit adds to the cap. Measured with test/helpers/oom-child.cjs under
 * --max-old-space-size=32 (test/fixtures/doctor/README.source.md): memoryLimit 80 MB on Node 20 and
 * 22, 224 MB on 24, 128 MB on 26. Without a cap V8 sizes the young generation from the machine's
 * memory, so the figure is approximate there.
 */
const YOUNG_GENERATION_MB: Record<number, number> = { 20: 48, 22: 48, 24: 192, 26: 96 };

export function youngGenerationMB(nodeVersion: string | null): number | null {
  const major = Number(/^v?(\d+)/.exec(nodeVersion ?? '')?.[1]);
  if (!Number.isFinite(major)) return null;
  if (major in YOUNG_GENERATION_MB) return YOUNG_GENERATION_MB[major]!;
  // Odd releases share the young generation of the even one before them.
  return YOUNG_GENERATION_MB[major - 1] ?? null;
}

export function readReport(source: string, json: unknown, showSecrets: boolean): ReportReading {
  const report = record(json);
  const header = record(report.header);
  const heap = record(report.javascriptHeap);
  if (Object.keys(header).length === 0 || Object.keys(heap).length === 0) {
    throw new InputError(null, `doctor ${source}: JSON without a report's header and javascriptHeap; ${EXPECTED}`);
  }
  const commandLine = Array.isArray(header.commandLine) ? header.commandLine.filter((arg): arg is string => typeof arg === 'string') : [];
  const nodeOptions = String(record(report.environmentVariables).NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const fromArgs = capFromArgs(commandLine);
  const fromEnv = capFromArgs(nodeOptions);
  // A flag on the command line wins over NODE_OPTIONS, as in Node.
  const cap = fromArgs
    ? { mb: fromArgs.mb, evidence: { line: null, text: `header.commandLine: ${fromArgs.text}` } }
    : fromEnv
      ? { mb: fromEnv.mb, evidence: { line: null, text: `environmentVariables.NODE_OPTIONS: ${fromEnv.text}` } }
      : null;
  const spaces: HeapSpace[] = Object.entries(record(heap.heapSpaces)).map(([name, value]) => {
    const space = record(value);
    return { name, sizeBytes: num(space.memorySize) ?? 0, usedBytes: num(space.used) ?? 0, availableBytes: num(space.available) ?? 0 };
  });
  const trigger = typeof header.trigger === 'string' ? header.trigger : null;
  const event = typeof header.event === 'string' ? header.event : '';
  const limit = num(heap.memoryLimit);
  const used = num(heap.usedMemory);
  const jsStack = record(report.javascriptStack).message;
  return {
    facts: {
      nodeVersion: typeof header.nodejsVersion === 'string' ? header.nodejsVersion : null,
      trigger,
      commandLine: showSecrets ? commandLine : maskCommandLine(commandLine),
      memoryLimitBytes: limit,
      usedBytes: used,
      spaces: spaces.filter((space) => space.sizeBytes > 0 || space.usedBytes > 0),
      rssBytes: num(record(report.resourceUsage).rss),
      jsStack: typeof jsStack === 'string' ? jsStack : null,
    },
    oom: trigger === 'OOMError' || /out of memory/i.test(event),
    cap,
    evidence: {
      trigger: trigger === null ? null : { line: null, text: `header.trigger: ${trigger}${event ? ` (${event})` : ''}` },
      limit: limit === null ? null : { line: null, text: `javascriptHeap.memoryLimit: ${limit} (${megabytes(limit)})` },
      used: used === null ? null : { line: null, text: `javascriptHeap.usedMemory: ${used} (${megabytes(used)})` },
    },
  };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function num(value: unknown): number | null {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : null;
}
