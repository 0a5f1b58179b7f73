import { runMeasuredChild, type ChildOptions, type MeasuredChildOutcome } from '../../core/measure/run-child.js';
import type { QueryChildConfig, QueryChildMessage } from './protocol.js';

export type QueryChildOptions = ChildOptions;
export type QueryChildOutcome = MeasuredChildOutcome<QueryChildMessage>;

/**
 * A sample child's young generation. A timed run starts after a full GC with an empty young
 * generation, so its first semi-space of allocation costs no scavenge; the whole result allocates
 * hundreds of semi-spaces and pays the steady state. A sample whose timed run allocates several
 * semi-spaces under Node's default (16 MB on Node 20) sees nearly that steady state — driver on
 * article, ~100 MB a run of 17,602 documents, ~6 scavenges; a sample that allocates less than one
 * (raw's 10,001 Buffers: no scavenge at all) misses the GC share of its CPU and of its batch's block.
 * So a sample child runs under Node's default first, and when its timed runs made fewer than
 * MIN_SAMPLE_SCAVENGES scavenges it is measured again under a SAMPLE_SEMI_SPACE_MB semi-space — if
 * that would show them: a run that made no scavenge and grew the young generation by less than
 * MIN_SAMPLE_SCAVENGES small semi-spaces (a sample of a few hundred documents) would make none there
 * either, and is not measured twice. Not
 * always the small one: a scavenge has a fixed cost (the roots, the parallel scavenger's tasks on V8's
 * worker threads), and a 1 MB semi-space pays it ~14× as often per document as the whole result does
 * (article, driver: 110 scavenges a sample run against 0.45 per 1,000 documents for the whole; its CPU
 * prediction +39…+68 %; docs/benchmarks.md). The whole result's child (--full) keeps Node's default.
 */
export const SAMPLE_SEMI_SPACE_MB = 1;

/** Fewer scavenges than this in a sample's timed run (the median): measured again under SAMPLE_SEMI_SPACE_MB. */
export const MIN_SAMPLE_SCAVENGES = 4;

/**
 * One variant in a fresh `node --expose-gc` child (child.ts) through the harness compare-unread's
 * strategies use; an OOM, a signal or a timeout comes back as a death with the documents seen before
 * it. A sample's child (`probeHalf`: the sample is not the whole result) is measured again under
 * SAMPLE_SEMI_SPACE_MB when its timed runs saw too few scavenges (above).
 */
export async function runQueryChild(config: Omit<QueryChildConfig, 'forkedAtNs'>, options: QueryChildOptions): Promise<QueryChildOutcome> {
  const entry = new URL('./child.js', import.meta.url);
  const outcome = await runMeasuredChild<QueryChildConfig, QueryChildMessage>(entry, config, options);
  const scavenges = config.probeHalf ? sampleScavenges(outcome) : null;
  if (scavenges === null || scavenges.count >= MIN_SAMPLE_SCAVENGES) return outcome;
  if (scavenges.count === 0 && scavenges.youngGrowthBytes < MIN_SAMPLE_SCAVENGES * SAMPLE_SEMI_SPACE_MB * 1024 * 1024) return outcome;
  const again = await runMeasuredChild<QueryChildConfig, QueryChildMessage>(entry, config, {
    ...options,
    v8Flags: [...(options.v8Flags ?? []), `--max-semi-space-size=${SAMPLE_SEMI_SPACE_MB}`],
  });
  if (again.kind !== 'message' || again.message.type !== 'result') return again;
  const note = `the sample's timed runs made ${scavenges.count} scavenge(s) under Node's default young generation, fewer than ${MIN_SAMPLE_SCAVENGES}: measured again with a ${SAMPLE_SEMI_SPACE_MB} MB semi-space, so that their CPU and blocks carry the GC the whole result pays`;
  return { ...again, message: { ...again.message, notes: [...again.message.notes, note] } };
}

/** The median scavenges of a sample's timed runs and its young generation's growth; null when there is nothing to judge (a death, a failure, no counted run). */
function sampleScavenges(outcome: QueryChildOutcome): { count: number; youngGrowthBytes: number } | null {
  if (outcome.kind !== 'message' || outcome.message.type !== 'result') return null;
  const loops = outcome.message.runs.map((run) => run.loop).filter((loop) => typeof loop.scavenges === 'number');
  if (loops.length === 0) return null;
  const lowMedian = (values: number[]) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  return { count: lowMedian(loops.map((loop) => loop.scavenges!)), youngGrowthBytes: lowMedian(loops.map((loop) => loop.youngGrowthBytes ?? 0)) };
}
