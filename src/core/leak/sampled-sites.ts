import { ID_TIMEOUT_MS, type SnapshotSession } from '../heapsnapshot/capture-session.js';
import type { AllocationFrame, LeakSite } from '../../results/leak.js';
import { isUserScript } from './frames.js';
import { judgeGrowth, leakedTotals, type LeakedTotals } from './growth.js';

/** Fewer samples than this are chance (one sample stands for ~32 KB): such a site is never counted as leaked. */
export const MIN_SAMPLES = 4;

function sampledGrowth(perRepetition: number[], samples: number) {
  const growth = judgeGrowth(perRepetition);
  return { ...growth, leaking: growth.leaking && samples >= MIN_SAMPLES };
}

/** V8's default sampling interval (bytes between samples, on average). */
export const SAMPLING_INTERVAL_BYTES = 32 * 1024;

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  id: number;
  children: ProfileNode[];
}

type Placed = Pick<LeakSite, 'site' | 'allocatedIn' | 'foldedFrames' | 'callers'>;

/** Live sampled bytes per allocation site (the first user frame from the allocating one up). */
function bySite(
  head: ProfileNode,
  samplesOf: ((node: ProfileNode) => number) | null,
): { bytes: Map<string, number>; counts: Map<string, number>; frames: Map<string, Placed> } {
  const bytes = new Map<string, number>();
  const counts = new Map<string, number>();
  const frames = new Map<string, Placed>();
  const walk = (node: ProfileNode, stack: AllocationFrame[]) => {
    const here = [frameOf(node), ...stack];
    if (node.selfSize > 0) {
      const at = here.findIndex((frame) => isUserScript(frame.script));
      const siteIndex = at < 0 ? 0 : at;
      const site = here[siteIndex]!;
      const key = `${site.functionName}\u0000${site.script}\u0000${site.line}\u0000${site.column}`;
      bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
      // Without the profile's samples list: at least one, else the bytes over the sampling interval.
      const samples = samplesOf ? samplesOf(node) : Math.max(1, Math.round(node.selfSize / SAMPLING_INTERVAL_BYTES));
      counts.set(key, (counts.get(key) ?? 0) + samples);
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
  return { bytes, counts, frames };
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

export type LiveSites = ReturnType<typeof bySite>;

/** The sampling profile so far (it keeps running): live sampled bytes per site. */
export async function readLiveSites(session: SnapshotSession['session'], stop = false): Promise<LiveSites> {
  const reply = await session.send<{ profile: { head: ProfileNode; samples?: Array<{ nodeId: number }> } }>(
    stop ? 'HeapProfiler.stopSampling' : 'HeapProfiler.getSamplingProfile',
    {},
    ID_TIMEOUT_MS,
  );
  return bySite(reply.profile.head, samplesPerNode(reply.profile.samples));
}

/**
 * How many samples each profile node stands for: the profile's `samples` (one entry a sample, with
 * its node) where V8 gives them. A node's selfSize is already scaled up to the bytes it stands for,
 * so one node can hold many samples; counting nodes would call a site of 36 samples "1".
 */
function samplesPerNode(samples: Array<{ nodeId: number }> | undefined): ((node: ProfileNode) => number) | null {
  if (!samples) return null;
  const perNode = new Map<number, number>();
  for (const sample of samples) perNode.set(sample.nodeId, (perNode.get(sample.nodeId) ?? 0) + 1);
  return (node) => perNode.get(node.id) ?? 0;
}

/** Sites from the final profile, each with the rise of its live bytes over each repetition, largest first (--top of them), and what all of them leaked. */
export function sitesFromSamples(live: Array<Map<string, number>>, final: LiveSites, top: number): { sites: LeakSite[]; leaked: LeakedTotals } {
  const sites: LeakSite[] = [...final.bytes.entries()].map(([key, bytes]) => {
    const perRepetitionBytes = live.slice(1).map((map, i) => Math.max(0, (map.get(key) ?? 0) - (live[i]!.get(key) ?? 0)));
    const lastRep = live[live.length - 1]!.get(key) ?? 0;
    return {
      ...final.frames.get(key)!,
      count: final.counts.get(key) ?? 0,
      selfSizeBytes: bytes,
      retainedSizeBytes: null,
      perRepetitionBytes,
      settleBytes: Math.max(0, bytes - lastRep),
      ...sampledGrowth(perRepetitionBytes, final.counts.get(key) ?? 0),
      heldBy: null,
      example: null,
      sampled: true as const,
    };
  });
  const leaked = leakedTotals(
    sites.map((site) => ({ selfSizeBytes: site.selfSizeBytes, growth: site })),
    live.length - 1,
  );
  return { sites: sites.sort((a, b) => b.selfSizeBytes - a.selfSizeBytes).slice(0, top), leaked };
}
