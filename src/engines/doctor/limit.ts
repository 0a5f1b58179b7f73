import { bytesHuman, megabytes, percent } from '../../lib/format.js';
import type { EvidenceLine, GcEvent, HeapLimit } from '../../results/doctor.js';
import type { ReportReading } from './report-json.js';
import { youngGenerationMB } from './report-json.js';

const MB = 2 ** 20;

/**
 * The heap limit, from evidence only: a --max-old-space-size on the recorded command line (or in the
 * log), else the report's memoryLimit less the young generation that Node version adds; else unknown,
 * with where V8 gave up (the last collection's committed heap) as the nearest figure the log has.
 */
export function heapLimit(capFromLog: { mb: number; evidence: EvidenceLine } | null, report: ReportReading | null, gc: readonly GcEvent[]): HeapLimit {
  const last = gc.at(-1) ?? null;
  const usedMB = last ? last.afterMB : report?.facts.usedBytes != null ? report.facts.usedBytes / MB : null;
  const usedEvidence = last ? [last.evidence] : report?.evidence.used ? [report.evidence.used] : [];
  const used = usedMB === null ? 'the heap at death is not in the input' : `${megabytes(usedMB * MB)} in use${last ? ' after the last collection' : ''}`;
  const cap = report?.cap ?? capFromLog;
  if (cap) {
    const young = youngGenerationMB(report?.facts.nodeVersion ?? null);
    const youngText = young === null ? 'the young generation comes on top' : `the young generation, up to ${megabytes(young * MB)} on this Node, comes on top`;
    return {
      limitMB: cap.mb,
      source: 'cap',
      usedMB,
      summary: `${usedMB === null ? 'the heap' : megabytes(usedMB * MB)} against a ${megabytes(cap.mb * MB)} cap`,
      text: `${used} against a cap of --max-old-space-size=${cap.mb} (old space; ${youngText})${closeness(usedMB, cap.mb)}`,
      evidence: [cap.evidence, ...usedEvidence],
    };
  }
  const memoryLimit = report?.facts.memoryLimitBytes ?? null;
  const young = youngGenerationMB(report?.facts.nodeVersion ?? null);
  if (report && memoryLimit !== null && young !== null) {
    const limitMB = memoryLimit / MB - young;
    return {
      limitMB,
      source: 'report',
      usedMB,
      summary: `${usedMB === null ? 'the heap' : megabytes(usedMB * MB)} of ~${bytesHuman(limitMB * MB)}`,
      text: `${used} of ~${bytesHuman(limitMB * MB)}: the report's memoryLimit ${bytesHuman(memoryLimit)} less ${report.facts.nodeVersion}'s young generation (${megabytes(young * MB)}, measured under a cap; approximate without one)${closeness(usedMB, limitMB)}`,
      evidence: [...(report.evidence.limit ? [report.evidence.limit] : []), ...usedEvidence],
    };
  }
  const committed = last?.committedAfterMB ?? null;
  return {
    limitMB: null,
    source: 'unknown',
    usedMB,
    summary: usedMB === null ? 'heap size and limit unknown' : `${megabytes(usedMB * MB)} when V8 gave up (the limit itself is not in the input)`,
    text:
      usedMB !== null
        ? `${megabytes(usedMB * MB)} in use${committed !== null ? ` (${megabytes(committed * MB)} committed)` : ''} when V8 gave up, so the limit is about that; the configured limit is unknown: no --max-old-space-size and no diagnostic report in the input`
        : 'the heap limit is unknown: no --max-old-space-size, no diagnostic report, no GC lines in the input',
    evidence: usedEvidence,
  };
}

function closeness(usedMB: number | null, limitMB: number): string {
  if (usedMB === null || limitMB <= 0) return '';
  return `: ${percent(usedMB / limitMB, 0)} of it`;
}
