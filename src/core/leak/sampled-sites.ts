import { ID_TIMEOUT_MS, type SnapshotSession } from '../heapsnapshot/capture-session.js';
import type { AllocationFrame, LeakSite } from '../../results/leak.js';
import { isUserScript } from './frames.js';
import { leakedTotals, type LeakedTotals } from './growth.js';
import { sampledGrowth } from './sampled-growth.js';

/** V8's default sampling interval (bytes between samples, on average): --sampling's, the cheap mode. */
export const SAMPLING_INTERVAL_BYTES = 32 * 1024;

/**
 * The sampler's interval beside the allocation tracker (tracking.ts), whose sites take over when V8
 * dropped most survivors' stacks (fallback.ts): 32× --sampling's samples, so a repetition of ~100 KB
 * of small objects has the DECIDING_SAMPLES its growth needs (an object is sampled once at most: of
 * 4 KB objects, ~400 KB). At 32 KB a test server's LRU of ~4 KB entries had ~2, 5 and 5 samples in
 * its repetitions, a coin flip between a cache and a leak (test/e2e/leak.test.ts). The tracker
 * records every allocation's stack already; what the sampler adds beside it is measured side by side
 * with the tracker alone in `npm run bench:leak` (docs/benchmarks.md, leak).
 */
export const TRACKING_SAMPLING_INTERVAL_BYTES = 1024;

export interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  id: number;
  children: ProfileNode[];
}

type Placed = Pick<LeakSite, 'site' | 'allocatedIn' | 'foldedFrames' | 'callers'>;

/** Live sampled bytes and samples per site; each site's samples dated, and the latest live ordinal, where V8 lists samples (else null). */
export interface LiveSites {
  bytes: Map<string, number>;
  counts: Map<string, number>;
  frames: Map<string, Placed>;
  dated: Map<string, Array<{ ordinal: number; bytes: number }>> | null;
  lastOrdinal: number | null;
}

export interface ProfileSample {
  nodeId: number;
  /** The bytes the sample stands for: the allocation's size times its scaled count (round(1 / (1 − e^(−size/interval)))). */
  size: number;
  /** Time-ordered, unique over one sampling session (SamplingHeapProfileSample in the protocol). */
  ordinal: number;
}

/**
 * Live sampled bytes and samples per allocation site (the first user frame from the allocating one
 * up), and where V8 lists the samples, each site's samples dated by ordinal with the bytes each
 * stands for, and the latest live ordinal.
 */
export function liveSitesOf(head: ProfileNode, samples: ProfileSample[] | undefined, intervalBytes: number): LiveSites {
  const bytes = new Map<string, number>();
  const counts = new Map<string, number>();
  const frames = new Map<string, Placed>();
  const keyOf = new Map<number, { key: string; selfSize: number }>();
  const walk = (node: ProfileNode, stack: AllocationFrame[]) => {
    const here = [frameOf(node), ...stack];
    if (node.selfSize > 0) {
      const at = here.findIndex((frame) => isUserScript(frame.script));
      const siteIndex = at < 0 ? 0 : at;
      const site = here[siteIndex]!;
      const key = `${site.functionName}\u0000${site.script}\u0000${site.line}\u0000${site.column}`;
      keyOf.set(node.id, { key, selfSize: node.selfSize });
      bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
      // Without the profile's samples list: at least one, else the bytes over the sampling interval.
      if (!samples) counts.set(key, (counts.get(key) ?? 0) + Math.max(1, Math.round(node.selfSize / intervalBytes)));
      if (!frames.has(key)) {
        frames.set(key, {
          site,
          allocatedIn: siteIndex > 0 ? here[0]! : null,
          foldedFrames: siteIndex,
          callers: here
            .slice(siteIndex + 1)
            .filter((frame) => isUserScript(frame.script))
            .slice(0, 4),
        });
      }
    }
    for (const child of node.children) walk(child, here);
  };
  walk(head, []);
  if (!samples) return { bytes, counts, frames, dated: null, lastOrdinal: null };
  // Each sample's size is already scaled: the allocation's size × round(1 / (1 − e^(−size/interval)))
  // (V8's SamplingHeapProfiler::ScaleSample, applied by the inspector's heap profiler agent); a
  // node's selfSize scales its samples together (size × round(n × scale)), so for objects near the
  // interval the two round differently (18 samples of 20 KB at 32 KB: 36 against 39 × 20 KB). Each
  // sample takes its share of its node's selfSize, so a site's repetitions and settle period add up
  // to its bytes.
  const reportedOf = new Map<number, number>();
  for (const sample of samples) reportedOf.set(sample.nodeId, (reportedOf.get(sample.nodeId) ?? 0) + sample.size);
  const dated = new Map<string, Array<{ ordinal: number; bytes: number }>>();
  let lastOrdinal = -1;
  for (const sample of samples) {
    lastOrdinal = Math.max(lastOrdinal, sample.ordinal);
    const node = keyOf.get(sample.nodeId);
    if (node === undefined) continue;
    counts.set(node.key, (counts.get(node.key) ?? 0) + 1);
    let list = dated.get(node.key);
    if (!list) dated.set(node.key, (list = []));
    list.push({ ordinal: sample.ordinal, bytes: (sample.size * node.selfSize) / reportedOf.get(sample.nodeId)! });
  }
  return { bytes, counts, frames, dated, lastOrdinal };
}

function frameOf(node: ProfileNode): AllocationFrame {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  // The protocol's positions are 0-based; -1 unknown.
  return {
    functionName: functionName || '(anonymous)',
    script: url,
    line: lineNumber >= 0 ? lineNumber + 1 : null,
    column: columnNumber >= 0 ? columnNumber + 1 : null,
  };
}

/** What was live when sampling started: nothing, and no sample yet (ordinals count up from there). */
export const SAMPLING_START: LiveSites = { bytes: new Map(), counts: new Map(), frames: new Map(), dated: new Map(), lastOrdinal: -1 };

/** The sampling profile so far (it keeps running unless `stop`): live sampled bytes and samples per site. */
export async function readLiveSites(session: SnapshotSession['session'], intervalBytes: number, stop = false): Promise<LiveSites> {
  const reply = await session.send<{ profile: { head: ProfileNode; samples?: ProfileSample[] } }>(
    stop ? 'HeapProfiler.stopSampling' : 'HeapProfiler.getSamplingProfile',
    {},
    ID_TIMEOUT_MS,
  );
  return liveSitesOf(reply.profile.head, reply.profile.samples, intervalBytes);
}

/**
 * Each repetition's share of a site's final live samples, bytes and samples. With the samples
 * dated (V8 lists them with ordinals): the survivors allocated during each repetition, as the
 * tracker counts them (analyse.ts) — a final sample whose ordinal is above the latest live one at
 * a mark was allocated after it (had it been allocated before, it would have been live there).
 * Without: the rise of the site's live bytes and samples over each repetition.
 */
function perRepetition(key: string, marks: LiveSites[], final: LiveSites): { bytes: number[]; samples: number[]; settleBytes: number } {
  const bounds = marks.map((mark) => mark.lastOrdinal);
  const dated = final.dated?.get(key);
  if (dated && bounds.every((bound) => bound !== null)) {
    const bytes = new Array<number>(marks.length - 1).fill(0);
    const samples = new Array<number>(marks.length - 1).fill(0);
    let settleBytes = 0;
    for (const sample of dated) {
      const window = bounds.findIndex((bound) => sample.ordinal <= bound!);
      if (window < 0) settleBytes += sample.bytes;
      else if (window > 0) {
        bytes[window - 1]! += sample.bytes;
        samples[window - 1]! += 1;
      }
    }
    return { bytes, samples, settleBytes };
  }
  const rise = (of: (mark: LiveSites) => Map<string, number>) =>
    marks.slice(1).map((mark, i) => Math.max(0, (of(mark).get(key) ?? 0) - (of(marks[i]!).get(key) ?? 0)));
  return {
    bytes: rise((mark) => mark.bytes),
    samples: rise((mark) => mark.counts),
    settleBytes: Math.max(0, (final.bytes.get(key) ?? 0) - (marks.at(-1)!.bytes.get(key) ?? 0)),
  };
}

/** Sites from the final profile, each with what each repetition left (perRepetition), largest first (--top of them), and what all of them leaked. */
export function sitesFromSamples(marks: LiveSites[], final: LiveSites, top: number): { sites: LeakSite[]; leaked: LeakedTotals } {
  const sites: LeakSite[] = [...final.bytes.entries()].map(([key, bytes]) => {
    const repetitions = perRepetition(key, marks, final);
    const count = final.counts.get(key) ?? 0;
    return {
      ...final.frames.get(key)!,
      count,
      selfSizeBytes: bytes,
      retainedSizeBytes: null,
      perRepetitionBytes: repetitions.bytes,
      perRepetitionSamples: repetitions.samples,
      settleBytes: repetitions.settleBytes,
      ...sampledGrowth(repetitions.bytes, repetitions.samples, count),
      heldBy: null,
      example: null,
      sampled: true as const,
    };
  });
  const leaked = leakedTotals(
    sites.map((site) => ({ selfSizeBytes: site.selfSizeBytes, growth: site })),
    marks.length - 1,
  );
  return { sites: sites.sort((a, b) => b.selfSizeBytes - a.selfSizeBytes).slice(0, top), leaked };
}
