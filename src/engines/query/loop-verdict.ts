import { count, milliseconds } from '../../lib/format.js';
import type { LoopPrediction, MeasuredQuery, VariantOutcome } from '../../results/query.js';

/**
 * What a query costs the event loop, for the verdict: the variant that blocks longest at once, the
 * others after it, each predicted for the whole result (loop-predict.ts), and what the longest
 * block is made of so the reader knows which fix helps (lean or a projection for hydration, a
 * batchSize for a batch's deserialisation, less held at once for GC).
 */

type WithLoop = Extract<VariantOutcome, { status: 'ok' }> & { loopPrediction: LoopPrediction };

// A result saved before the event loop was measured has no loopPrediction at all.
const hasLoop = (outcome: VariantOutcome): outcome is WithLoop => outcome.status === 'ok' && Boolean(outcome.loopPrediction);

/** "mongoose blocks the event loop for ~4.1 s at once for 340,170 documents — …; lean ~0.3 s; stream ~40 ms per batch." */
export function loopSentence(query: MeasuredQuery): string {
  const measured = query.variants.filter(hasLoop).sort((a, b) => b.loopPrediction.blockedMs - a.loopPrediction.blockedMs);
  const worst = measured[0];
  if (!worst) return '';
  const p = worst.loopPrediction;
  const approx = p.measuredWhole ? '' : '~';
  const what =
    p.blocking === 'whole-result'
      ? `at once for ${count(query.count)} documents`
      : `at once per batch of ${approx}${count(p.batchDocs)} documents (it reads ${count(query.count)})`;
  const parts = madeOf(worst);
  const others = measured.slice(1).map((outcome) => `${outcome.name} ${blockedText(outcome.loopPrediction)}`);
  return (
    ` Event loop: ${worst.name} blocks it for ${approx}${milliseconds(p.blockedMs)} ${what}${parts ? ` (${parts})` : ''}` +
    ` — every other request on this process waits that long${others.length > 0 ? `; ${others.join('; ')}` : ''}.`
  );
}

/**
 * "~310 ms", "~40 ms per batch": the point, as the lead variant's (the upper end of the interval,
 * 2.2× it with SCALE_BAND or 3× for a holding pass over a large heap, read as a bound beside a point
 * would rank the variants wrongly).
 */
export function blockedText(p: LoopPrediction): string {
  const approx = p.measuredWhole ? '' : '~';
  return `${approx}${milliseconds(p.blockedMs)}${p.blocking === 'per-batch' ? ' per batch' : ''}`;
}

/** The sample's longest block, split: "hydration 62 %, GC 20 %, BSON and driver 18 % of the sample's longest block". */
function madeOf(outcome: WithLoop): string {
  const loop = outcome.measurement.loop;
  if (!loop || loop.blockedMs <= 0) return '';
  const { hydrationMs, gcMs, bsonMs } = loop.split;
  const total = hydrationMs + gcMs + bsonMs;
  if (total <= 0) return '';
  const share = (ms: number) => Math.round((ms / total) * 100);
  const named = [
    ['hydration', hydrationMs],
    ['GC', gcMs],
    ['BSON deserialisation and the driver', bsonMs],
  ] as const;
  return `${named
    .filter(([, ms]) => ms > 0)
    .map(([name, ms]) => `${name} ${share(ms)} %`)
    .join(', ')} of the sample's longest block`;
}

/** The per-variant line's part: "blocks the loop ~4.1 s at once (~3.8–4.6 s), CPU ~9.2 s". */
export function loopPart(outcome: VariantOutcome): string | null {
  if (!hasLoop(outcome)) return null;
  const p = outcome.loopPrediction;
  const approx = p.measuredWhole ? '' : '~';
  const range = p.measuredWhole ? '' : ` (${milliseconds(p.blockedLowMs)}–${milliseconds(p.blockedHighMs)})`;
  const where = p.blocking === 'per-batch' ? ` per batch of ${approx}${count(p.batchDocs)}` : ' at once';
  return `blocks the event loop ${approx}${milliseconds(p.blockedMs)}${where}${range}, CPU ${approx}${milliseconds(p.cpuMs)}`;
}
