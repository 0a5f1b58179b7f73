import type { EvidenceLine, GcEvent } from '../../results/doctor.js';
import type { InputLine } from './input.js';

/**
 * V8's "Last few GCs" lines, every format seen from Node 4 to Node 26:
 *   79362148 ms: Mark-sweep 1396.6 (1458.1) -> 1396.6 (1458.1) MB, 1068.1 / 0 ms (+ …) [last resort gc].
 *   [7829:0x12ef8d10]  4127 ms: Mark-Compact 39.6 (57.5) -> 36.5 (70.8) MB, 665.32 / 0.00 ms  (+ …) (average mu = 0.703, current mu = 0.703) allocation failure;
 *   [8870:0x3bf20000]  4564 ms: Mark-Compact (reduce) 33.3 (60.8) -> 32.3 (34.7) MB, pooled: 0 MB, 1250.45 / 0.00 ms  (…)      (Node 22+)
 *   [12874:0x44f9f000] 2761 ms: Incremental Mark-Compact (reduce) 43.2 (45.7) -> 41.5 (42.8) MB, pooled: 0.0 MB, …            (Node 26)
 * The crash often cuts a line and glues the next one to it (`… current mu = 0.85[8988:0x22569000] 39153 ms: …`),
 * so a line is split at every `[pid:0xisolate]` and at every `N ms: <kind>` before parsing.
 */
const GC =
  /(\d+(?:\.\d+)?) ms: ((?:(?:Incremental|Minor|Concurrent) )*(?:Scavenge|Mark-Compact|Mark-sweep|Mark-Sweep|MinorMS|Minor MS))( \(reduce\))? ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;
const SPLIT = /(?<![\d.])(?=\d+(?:\.\d+)? ms: (?:(?:Incremental|Minor|Concurrent) )*(?:Scavenge|Mark))/g;
const ISOLATE = /\[\d+:0x[0-9a-f]+\]/;
const PAUSE = /MB,(?: pooled: [\d.]+ MB,)? ([\d.]+) \/ [\d.]+ ms/;
const MU = /\(average mu = ([\d.]+), current mu = ([\d.]+)\)/;

export function parseGcLines(lines: readonly InputLine[], evidence: (line: InputLine, text?: string) => EvidenceLine): GcEvent[] {
  const events: GcEvent[] = [];
  for (const line of lines) {
    if (!GC.test(line.text)) continue;
    const modern = ISOLATE.test(line.text);
    const segments = line.text.split(SPLIT).filter((segment) => GC.test(segment));
    segments.forEach((segment, index) => {
      const text = segment.replace(/\[\d+:0x[0-9a-f]+\]\s*$/, '').trim();
      const event = parseGcSegment(text, modern, index < segments.length - 1, evidence(line, text));
      if (event) events.push(event);
    });
  }
  return events;
}

function parseGcSegment(segment: string, isolateTagged: boolean, glued: boolean, evidence: EvidenceLine): GcEvent | null {
  const match = GC.exec(segment);
  if (!match) return null;
  const [, time, kind, reduce, before, , after, committedAfter] = match as unknown as string[];
  const mu = MU.exec(segment);
  const pause = PAUSE.exec(segment);
  const modern = isolateTagged || segment.includes('mu =');
  const reason = reasonOf(segment, mu);
  const cut = glued || (modern && (mu === null || reason === null));
  return {
    kind: kind!,
    full: /Mark-(?:Compact|sweep|Sweep)/.test(kind!) && !/Minor/.test(kind!),
    reduce: reduce !== undefined,
    timeMs: Number(time),
    beforeMB: Number(before),
    afterMB: Number(after),
    committedAfterMB: Number(committedAfter),
    pauseMs: pause ? Number(pause[1]) : null,
    averageMu: mu ? Number(mu[1]) : null,
    currentMu: mu ? Number(mu[2]) : null,
    reason,
    cut,
    evidence,
  };
}

function reasonOf(segment: string, mu: RegExpExecArray | null): string | null {
  if (mu) {
    const rest = segment
      .slice(mu.index + mu[0].length)
      .trim()
      .replace(/;\s*$/, '')
      .trim();
    return rest === '' ? null : rest;
  }
  // Old format: the reasons in brackets at the end, `[allocation failure] [incremental marking delaying mark-sweep].`
  const brackets = [...segment.slice(segment.indexOf(' ms ') + 1).matchAll(/\[([^\]]+)\]/g)].map((found) => found[1]!);
  return brackets.length > 0 ? brackets.join('; ') : null;
}

/**
 * The full collections at the end (up to three) and what they freed. "Nothing" is at most a tenth
 * of the heap: V8's last-resort collections under a full heap free a few percent at most when live
 * objects fill it.
 */
export function lastFullCollections(events: readonly GcEvent[]): { full: GcEvent[]; freedMB: number; freedNothing: boolean } {
  const full = events.filter((event) => event.full).slice(-3);
  const freedMB = full.reduce((sum, event) => sum + Math.max(0, event.beforeMB - event.afterMB), 0);
  const last = full.at(-1);
  const freedNothing = last !== undefined && freedMB <= 0.1 * last.beforeMB;
  return { full, freedMB, freedNothing };
}
