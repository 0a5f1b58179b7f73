import type { Blame, DoctorFinding, DoctorOutcome, EvidenceLine, ExternalKill, HeapLimit, NextStep } from '../../results/doctor.js';
import { bytesHuman } from '../../lib/format.js';

export interface VerdictInputs {
  outcome: DoctorOutcome;
  fatal: EvidenceLine | null;
  limit: HeapLimit;
  freedNothing: boolean;
  fullCollections: number;
  /** GC lines in the input (a diagnostic report has none). */
  gcLines: number;
  blame: Blame;
  kill: ExternalKill | null;
  next: NextStep[];
}

/** Headlines per culprit: what was running, and what fills the heap. */
const HEADLINES: Record<string, string> = {
  'mongoose-document': 'Mongoose was working on documents',
  'mongoose-query': 'Mongoose was turning a query result into documents',
  bson: 'the MongoDB driver was decoding BSON replies',
  'driver-cursor': "the MongoDB driver's cursor was reading a result",
  'ws-send-queue': 'ws was queueing messages for sockets that do not drain',
  'socketio-send-queue': 'socket.io was queueing packets for clients that do not drain',
  json: 'JSON.parse/JSON.stringify was handling a whole payload',
  'buffer-concat': 'Buffers were being concatenated',
};

const FILLING: Record<string, string> = {
  'mongoose-document': 'live documents fill the heap',
  'mongoose-query': 'live documents fill the heap',
  bson: 'live query results fill the heap',
  'driver-cursor': 'live query results fill the heap',
  'ws-send-queue': 'queued messages fill the heap',
  'socketio-send-queue': 'queued packets fill the heap',
};

/** Three lines: what happened (with the figure), whose objects, what to run. */
export function verdictLines(inputs: VerdictInputs): string[] {
  const first = inputs.next[0];
  const run = first ? `Next: ${first.why.split(':')[0]} — ${first.command}` : 'Next: nothing more to run from this input.';
  if (inputs.outcome === 'external-kill') {
    const who =
      inputs.kill?.by === 'kernel'
        ? "the kernel's OOM killer"
        : inputs.kill?.by === 'container'
          ? "the container's memory limit (OOMKilled)"
          : 'a SIGKILL (exit 137)';
    const rss = inputs.kill?.rssKB ? ` at ${bytesHuman(inputs.kill.rssKB * 1024)} resident` : '';
    return [
      `Killed from outside by ${who}${rss}, not by V8's heap limit: the process's own log just stops.`,
      "The machine's or the container's limit was reached by RSS (heap + external + native memory): watch RSS, not only the heap.",
      run,
    ];
  }
  if (inputs.outcome === 'no-evidence') {
    return [
      'No V8 out-of-memory evidence: no fatal error, no GC lines, no report, no kill record in this input.',
      'A log that just stops is not a diagnosis: a kill from outside (SIGKILL, exit 137) is recorded by the kernel or the container runtime, not here.',
      run,
    ];
  }
  const culprit = inputs.blame.culprit?.id;
  const collections =
    inputs.gcLines === 0
      ? 'no GC lines in the input to say whether collections freed anything'
      : inputs.fullCollections === 0
        ? 'no full collection in the GC lines printed'
        : inputs.freedNothing
          ? 'the last full collections freed nothing'
          : 'the last full collections freed some memory, not enough';
  const filled = inputs.freedNothing ? ((culprit && FILLING[culprit]) ?? 'live objects fill the heap') : null;
  const where = inputs.blame.source === 'frames' ? ` (${inputs.blame.text.split(' (')[1]?.split(')')[0] ?? 'the JS stack'})` : '';
  let whose: string;
  if (culprit) whose = [filled, `${HEADLINES[culprit]!}${where}`].filter(Boolean).join('; ');
  else if (inputs.blame.source === 'snapshot') whose = inputs.blame.text.replace(/^the near-limit snapshot: /, '').split(';')[0]!;
  else if (inputs.blame.source === 'frames') whose = [filled, inputs.blame.text.split(';')[0]!].filter(Boolean).join('; ');
  else
    whose = `${filled ? `${filled}; ` : ''}whose objects is unknown: no JS stack in the output and ${inputs.blame.evidence.length > 0 ? 'the near-limit snapshot the log names is not here' : 'no near-limit snapshot'}`;
  const measure = culprit && /^mongoose|^bson|^driver/.test(culprit) && first ? `Next: measure your queries — ${first.command}` : run;
  return [`V8 ran out of heap: ${inputs.limit.summary}; ${collections}.`, `${capitalise(whose)}.`, measure];
}

export function outcomeOf(fatal: EvidenceLine | null, gcLines: number, reportOom: boolean, kill: ExternalKill | null): DoctorOutcome {
  if (fatal !== null || reportOom || gcLines > 0) return 'v8-oom';
  return kill ? 'external-kill' : 'no-evidence';
}

/** The crash finding: V8's own line, or the block cut before it. */
export function crashFinding(fatal: EvidenceLine | null, gcEvidence: EvidenceLine[], crashes: number): DoctorFinding {
  if (fatal === null) {
    return { topic: 'crash', text: "V8's GC lines of a fatal out-of-memory, but the log is cut before its FATAL ERROR line", evidence: gcEvidence.slice(-1) };
  }
  const earlier = crashes > 1 ? ` (the last of ${crashes} in this log)` : '';
  return {
    topic: 'crash',
    text: `V8's fatal out-of-memory error: the JavaScript heap reached its limit and Node aborted (SIGABRT, exit 134)${earlier}`,
    evidence: [fatal],
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
