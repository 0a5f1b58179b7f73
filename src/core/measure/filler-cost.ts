import { cpuMicros } from './cpu.js';
import { gcExposed, halfFillYoung, minorGc, scavenge, settle } from './settle.js';

/**
 * What the held part of a run's young-generation filler (settle.ts, halfFillYoung) costs the run's
 * CPU: the filler is copied by the run's first scavenge and promoted by its second, work that stands
 * in for the whole result's held documents in the run's longest block, but is not the sampled
 * documents' own CPU: CPU adds up over a run, and each sampled document pays its own copies, as
 * inside the whole result. With it taken out (and the filler no longer pretenured, settle.ts),
 * article's CPU medians went from +34 / +35 % (driver, Mongoose) to +17 / +14 % (docs/benchmarks.md);
 * a sample that allocates about one semi-space (raw on demo, −32 %) leaves much of its own
 * allocation uncopied, which the filler's copying had stood in for.
 *
 * Measured once per process, in it: two scavenges forced over a half-full young generation whose
 * filler is held, against the same over garbage filler (what a scavenge costs with nothing to copy),
 * the lower of REPEATS of each; per byte of held filler, since the young generation's size at a
 * run's filling need not be the one here.
 */
export interface FillerCost {
  /** CPU (ms) per held byte copied by the run's first scavenge, and promoted by its second. */
  firstMsPerByte: number;
  secondMsPerByte: number;
}

const REPEATS = 3;
/** Below this much held filler (a young generation shrunk to its minimum), a repeat's copy is too short to read. */
const MIN_HELD_BYTES = 256 * 1024;
const cpuMs = (): number => cpuMicros() / 1000;

/** The CPU of the first and the second forced scavenge over a half-full young generation, `heldShare` of it held. */
function twoScavenges(heldShare: number): { first: number; second: number; heldBytes: number } {
  scavenge();
  const filler = halfFillYoung(heldShare);
  const start = cpuMs();
  minorGc();
  const afterFirst = cpuMs();
  minorGc();
  const afterSecond = cpuMs();
  filler.release();
  return { first: afterFirst - start, second: afterSecond - afterFirst, heldBytes: filler.heldBytes };
}

let measured: FillerCost | undefined;

/** The held filler's cost, measured on the first call (zero without `--expose-gc`: no scavenge can be forced to read it). */
export function fillerCost(): FillerCost {
  if (measured) return measured;
  if (!gcExposed) return (measured = { firstMsPerByte: 0, secondMsPerByte: 0 });
  // Alternated, each pair after a full GC: held filler promoted by one repeat is not old-generation garbage in the next's.
  const held: Array<ReturnType<typeof twoScavenges>> = [];
  const garbage: Array<ReturnType<typeof twoScavenges>> = [];
  for (let i = 0; i < REPEATS; i++) {
    settle();
    held.push(twoScavenges(1));
    garbage.push(twoScavenges(0));
  }
  settle();
  // Per byte of each held repeat, the lowest: a repeat's CPU and its bytes go together.
  const perByte = (part: 'first' | 'second') => {
    const baseline = Math.min(...garbage.map((run) => run[part]));
    return Math.min(...held.map((run) => (run.heldBytes >= MIN_HELD_BYTES ? Math.max(0, run[part] - baseline) / run.heldBytes : Infinity)));
  };
  const [first, second] = [perByte('first'), perByte('second')];
  // No repeat held enough filler to read a cost from: none is taken out.
  measured = { firstMsPerByte: Number.isFinite(first) ? first : 0, secondMsPerByte: Number.isFinite(second) ? second : 0 };
  return measured;
}

/**
 * What a run's held filler of `heldBytes` cost it, at each of the run's scavenges that copied it (`minorStarts`, the
 * run's scavenges by start time): the first copies it, the second promotes it; later ones do not see it.
 */
export function fillerDeductions(cost: FillerCost, heldBytes: number, minorStarts: readonly number[]): Array<{ at: number; ms: number }> {
  if (heldBytes <= 0) return [];
  const [first, second] = [...minorStarts].sort((a, b) => a - b);
  return [
    ...(first !== undefined ? [{ at: first, ms: heldBytes * cost.firstMsPerByte }] : []),
    ...(second !== undefined ? [{ at: second, ms: heldBytes * cost.secondMsPerByte }] : []),
  ].filter((deduction) => deduction.ms > 0);
}
