import { halfFillYoung, scavenge } from './settle.js';

/**
 * What the held part of a run's young-generation filler (settle.ts, halfFillYoung) costs the run's
 * CPU: the filler is copied by the run's first scavenge and promoted by its second, work that stands
 * in for the whole result's held documents in the run's longest block, but is not the sampled
 * documents' own CPU. CPU adds up over a run: each of the sample's documents pays its own copies, as
 * inside the whole result; the filler's copies on top made the prediction of CPU err high where the
 * filler is held (raw on demo +33 %, driver and Mongoose on article +34 / +35 %, docs/benchmarks.md)
 * where garbage filler had left them at −23 / +11 / +23 %.
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
const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** The CPU of the first and the second forced scavenge over a half-full young generation, `heldShare` of it held. */
function twoScavenges(heldShare: number): { first: number; second: number; heldBytes: number } {
  scavenge();
  const filler = halfFillYoung(heldShare);
  const start = cpuMs();
  gc?.({ type: 'minor' });
  const afterFirst = cpuMs();
  gc?.({ type: 'minor' });
  const afterSecond = cpuMs();
  filler.release();
  return { first: afterFirst - start, second: afterSecond - afterFirst, heldBytes: filler.bytes * filler.heldShare };
}

let measured: FillerCost | undefined;

/** The held filler's cost (measured on first call; zero without `--expose-gc`, where no filler is held either). */
export function fillerCost(): FillerCost {
  if (measured) return measured;
  if (!gc) return (measured = { firstMsPerByte: 0, secondMsPerByte: 0 });
  const held = Array.from({ length: REPEATS }, () => twoScavenges(1));
  const garbage = Array.from({ length: REPEATS }, () => twoScavenges(0));
  const lowest = (runs: typeof held, part: 'first' | 'second') => Math.min(...runs.map((run) => run[part]));
  const heldBytes = Math.max(1, Math.min(...held.map((run) => run.heldBytes)));
  measured = {
    firstMsPerByte: Math.max(0, lowest(held, 'first') - lowest(garbage, 'first')) / heldBytes,
    secondMsPerByte: Math.max(0, lowest(held, 'second') - lowest(garbage, 'second')) / heldBytes,
  };
  return measured;
}

/** The CPU (ms) a run's held filler of `heldBytes` cost it, given the scavenges the run made. */
export function fillerCpuMs(cost: FillerCost, heldBytes: number, scavenges: number): number {
  if (heldBytes <= 0 || scavenges <= 0) return 0;
  return heldBytes * (cost.firstMsPerByte + (scavenges >= 2 ? cost.secondMsPerByte : 0));
}
