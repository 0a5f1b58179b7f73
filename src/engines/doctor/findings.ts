import { bytesHuman, decimal, megabytes, percent } from '../../lib/format.js';
import type { DiagnosticReportFacts, DoctorFinding, EvidenceLine, GcEvent } from '../../results/doctor.js';
import { lastFullCollections } from './gc-lines.js';

const MB = 2 ** 20;

/** Whether the last full collections freed anything, and what that means. */
export function collectionsFinding(gc: readonly GcEvent[]): DoctorFinding | null {
  const { full, freedMB, freedNothing } = lastFullCollections(gc);
  if (full.length === 0) {
    return gc.length === 0
      ? null
      : {
          topic: 'collections',
          text: 'no full collection among the GC lines printed: whether live objects fill the heap is not in the log',
          evidence: gc.map((event) => event.evidence),
        };
  }
  const span = full.map((event) => `${megabytes(event.beforeMB * MB)} → ${megabytes(event.afterMB * MB)}`).join(', ');
  const noTrend = `${gc.length} GC line${gc.length === 1 ? '' : 's'} give no trend, so a spike that holds its data cannot be told from a slow leak here`;
  const text = freedNothing
    ? `the last ${full.length === 1 ? 'full collection' : `${full.length} full collections`} freed ${freedMB < 0.05 ? 'nothing' : `almost nothing (${megabytes(freedMB * MB)})`} (${span}): live objects fill the heap — too much data held at once, or a leak; ${noTrend}`
    : `the last ${full.length === 1 ? 'full collection' : `${full.length} full collections`} freed ${megabytes(freedMB * MB)} (${span}), yet the heap filled again: live data grows faster than garbage is freed; ${noTrend}`;
  return { topic: 'collections', text, evidence: full.map((event) => event.evidence) };
}

/** Mutator utilisation: the share of time the application ran between collections. */
export function mutatorFinding(gc: readonly GcEvent[]): DoctorFinding | null {
  const last = [...gc].reverse().find((event) => event.averageMu !== null);
  if (!last || last.averageMu === null) return null;
  const mu = last.currentMu ?? last.averageMu;
  const thrashing = mu < 0.5;
  const text = thrashing
    ? `mutator utilisation ${decimal(last.averageMu)} on average, ${decimal(mu)} at the end: the application ran ${percent(mu, 0)} of the time, the rest was garbage collection — it thrashed before dying`
    : `mutator utilisation ${decimal(last.averageMu)} on average, ${decimal(mu)} at the end: not a long GC struggle; memory rose quickly at the end`;
  return { topic: 'mutator', text: `${text} (${gc.length} GC lines: no trend)`, evidence: [last.evidence] };
}

/** The fullest space of the report's javascriptHeap. */
export function spaceFinding(report: DiagnosticReportFacts | null): DoctorFinding | null {
  const spaces = report?.spaces ?? [];
  const full = [...spaces].filter((space) => space.usedBytes > 0).sort((a, b) => b.usedBytes - a.usedBytes)[0];
  if (!full) return null;
  const share = full.sizeBytes > 0 ? full.usedBytes / full.sizeBytes : null;
  const large = spaces.find((space) => space.name === 'large_object_space');
  const largeText =
    large && large.usedBytes > 0.25 * (report?.usedBytes ?? Infinity)
      ? `; large_object_space holds ${bytesHuman(large.usedBytes)} (objects over ~128 KB each: big arrays, strings, Buffers' backing stores on the heap)`
      : '';
  return {
    topic: 'space',
    text: `${full.name} was the full space: ${bytesHuman(full.usedBytes)} used (${percent(share, 0)} of its ${bytesHuman(full.sizeBytes)}), ${bytesHuman(full.availableBytes)} available${largeText}`,
    evidence: [{ line: null, text: `javascriptHeap.heapSpaces.${full.name}: used ${full.usedBytes}, available ${full.availableBytes}` }],
  };
}

export function evidenceOf(...lines: Array<EvidenceLine | null | undefined>): EvidenceLine[] {
  return lines.filter((line): line is EvidenceLine => line !== null && line !== undefined);
}
