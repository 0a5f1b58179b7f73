import { bytesHuman, count, percent } from '../../lib/format.js';
import type { Blame, EvidenceLine, JsFrame, KnownCulprit, SnapshotEvidence } from '../../results/doctor.js';
import type { LogFacts } from './crash-log.js';
import { culpritOfClass, culpritOfFrame, culpritOfNative } from './known.js';

const NO_STACK = "no JavaScript stack: today's Node prints none for a fatal out-of-memory, and a diagnostic report's javascriptStack reads 'No stack.'";

/**
 * Whose code or objects, best evidence first: JS frames (old Node), the near-limit snapshot's
 * classes, V8's native frames (JSON only); else nothing, said plainly.
 */
export function blame(log: LogFacts | null, snapshot: SnapshotEvidence | null): Blame {
  const frames = log?.frames ?? [];
  if (frames.some((frame) => frame.file !== null)) return fromFrames(frames);
  if (snapshot?.status === 'analysed' && snapshot.classes.length > 0) return fromSnapshot(snapshot);
  const native = log?.native.find((frame) => culpritOfNative(frame.symbol) !== null);
  if (native) {
    const culprit = culpritOfNative(native.symbol)!;
    return {
      source: 'native-frames',
      userFrame: null,
      libraryFrame: null,
      culprit,
      text: `V8's native stack shows ${culprit.label}: ${culprit.meaning}`,
      evidence: [native.evidence],
    };
  }
  const named =
    snapshot && snapshot.status !== 'analysed'
      ? `the near-limit snapshot the input names (${snapshot.path}) was ${snapshot.status}${snapshot.reason ? `: ${snapshot.reason}` : ''}`
      : 'no near-limit heap snapshot';
  return {
    source: 'none',
    userFrame: null,
    libraryFrame: null,
    culprit: null,
    text: `whose objects: unknown — ${NO_STACK}; ${named}`,
    evidence: log?.snapshot ? [log.snapshot.evidence] : [],
  };
}

function fromFrames(frames: readonly JsFrame[]): Blame {
  const located = frames.filter((frame) => frame.file !== null);
  const library = located.find((frame) => /node_modules\//.test(frame.file!)) ?? null;
  const user = located.find((frame) => !/node_modules\/|^native |^node:|^internal\//.test(frame.file!)) ?? null;
  let culprit: KnownCulprit | null = null;
  let culpritFrame: JsFrame | null = null;
  for (const frame of frames) {
    culprit = culpritOfFrame(frame.file, frame.functionName);
    if (culprit) {
      culpritFrame = frame;
      break;
    }
  }
  const parts = [
    library ? `top library frame ${describe(library)}` : 'no library frame',
    user ? `top frame of your own code ${describe(user)}` : 'no frame of your own code in the stack printed',
  ];
  const text = culprit ? `${culprit.label} (${describe(culpritFrame!)}): ${culprit.meaning}; ${parts.join('; ')}` : parts.join('; ');
  const evidence: EvidenceLine[] = [...new Set([culpritFrame, library, user].filter((frame): frame is JsFrame => frame !== null))].map(
    (frame) => frame.evidence,
  );
  return { source: 'frames', userFrame: user, libraryFrame: library, culprit, text, evidence };
}

function fromSnapshot(snapshot: SnapshotEvidence): Blame {
  const total = snapshot.totalSizeBytes ?? 0;
  const own = snapshot.classes.find((row) => row.className === snapshot.topOwnClass) ?? null;
  const culprit = snapshot.classes.map((row) => culpritOfClass(row.className)).find((found) => found !== null) ?? null;
  const top = snapshot.classes
    .slice(0, 3)
    .map((row) => `${row.className} ×${count(row.count)} (${bytesHuman(row.retainedSizeBytes)})`)
    .join(', ');
  const ownText = own
    ? `${own.className} objects fill the heap: ${count(own.count)} of them retain ${bytesHuman(own.retainedSizeBytes)} (${percent(total > 0 ? own.retainedSizeBytes / total : null, 0)} of the snapshot)`
    : "only JavaScript's own classes at the top";
  const held = snapshot.largestRetainers ? `; the largest object is held by ${snapshot.largestRetainers}` : '';
  return {
    source: 'snapshot',
    userFrame: null,
    libraryFrame: null,
    culprit,
    text: `the near-limit snapshot: ${ownText}${held}${culprit ? `; ${culprit.label}: ${culprit.meaning}` : ''} (top classes by retained size: ${top})`,
    evidence: [{ line: null, text: `${snapshot.path}: ${top}` }],
  };
}

function describe(frame: JsFrame): string {
  const file = frame.file!.replace(/^.*?(node_modules\/)/, '$1');
  return `${frame.functionName} in ${file}${frame.line !== null ? `:${frame.line}` : ''}`;
}
