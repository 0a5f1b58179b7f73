import { groupSurvivors } from '../../core/heapsnapshot/leaks.js';
import type { LoadedSnapshot } from '../../core/heapsnapshot/load.js';
import { NONE } from '../../core/heapsnapshot/paths.js';
import { objectRow } from '../../core/heapsnapshot/summarise.js';
import { selfSizeOf } from '../../core/heapsnapshot/graph.js';
import type { LeakGroup } from '../../results/heap.js';
import type { LeakSite } from '../../results/leak.js';
import { callersOf, frameOf, siteResolver } from './frames.js';
import { judgeGrowth, NOISE_FLOOR_BYTES } from './growth.js';

const NOT_SURVIVOR = -2;
const MAX_WALK = 64;

interface SiteTally {
  site: number;
  allocating: number;
  folded: number;
  count: number;
  bytes: number;
  retained: number;
  perRepetition: number[];
  settle: number;
  /** Bytes per site trace node: the heaviest stack names the callers. */
  stacks: Map<number, number>;
  example: number;
  exampleSize: number;
  ids: number[];
}

/**
 * The final snapshot's objects allocated after the baseline (id above marks[0]) and reachable,
 * grouped by allocation site (traces), each with the repetition it was allocated in (marks[k-1] <
 * id ≤ marks[k]), its retained size (members no other member of the site dominates) and the
 * retainer path holding most of it (the core's grouping, as `heap diff` groups survivors).
 */
export function analyseTracked(loaded: LoadedSnapshot, marks: number[], top: number) {
  const { graph, dominance, paths } = loaded;
  const traces = graph.traces;
  const notes: string[] = [];
  if (!traces || traces.functions.length === 0)
    notes.push('the final snapshot carries no allocation stacks: every survivor is under "(allocation site unknown)"');
  const siteOf = traces ? siteResolver(graph, traces) : () => ({ site: -1, allocating: -1, folded: 0, siteNode: 0 });
  const baseline = marks[0]!;
  const repetitions = marks.length - 1;
  // -2: not a survivor; -1: a survivor of unknown site.
  const nodeSite = new Int32Array(graph.nodeCount).fill(NOT_SURVIVOR);
  const tallies = new Map<number, SiteTally>();
  let count = 0;
  let bytes = 0;
  const all: number[] = [];
  for (let node = 1; node < graph.nodeCount; node++) {
    const id = graph.nodeId[node]!;
    if (id % 2 === 0 || id <= baseline || paths.from[node] === NONE) continue;
    const traceNode = traces?.traceNode[node] ?? 0;
    const resolved = traceNode > 0 ? siteOf(traceNode) : { site: -1, allocating: -1, folded: 0, siteNode: 0 };
    const size = selfSizeOf(graph, node);
    let tally = tallies.get(resolved.site);
    if (!tally) {
      tally = {
        site: resolved.site,
        allocating: resolved.allocating,
        folded: resolved.folded,
        count: 0,
        bytes: 0,
        retained: 0,
        perRepetition: new Array<number>(repetitions).fill(0),
        settle: 0,
        stacks: new Map(),
        example: node,
        exampleSize: -1,
        ids: [],
      };
      tallies.set(resolved.site, tally);
    }
    nodeSite[node] = resolved.site;
    tally.count++;
    tally.bytes += size;
    tally.ids.push(id);
    tally.stacks.set(resolved.siteNode, (tally.stacks.get(resolved.siteNode) ?? 0) + size);
    const window = marks.findIndex((mark) => id <= mark);
    if (window > 0) tally.perRepetition[window - 1]! += size;
    else tally.settle += size;
    if (dominance.retained[node]! > tally.exampleSize) {
      tally.example = node;
      tally.exampleSize = dominance.retained[node]!;
    }
    count++;
    bytes += size;
    all.push(id);
  }
  for (let node = 1; node < graph.nodeCount; node++) {
    const site = nodeSite[node]!;
    if (site === NOT_SURVIVOR) continue;
    // Up the dominator tree through survivors only (a bounded walk): a member held by another member is in its retained size.
    let dominator = dominance.dominator[node]!;
    let dominated = false;
    for (let steps = 0; dominator !== 0 && nodeSite[dominator] !== NOT_SURVIVOR && steps < MAX_WALK; steps++) {
      if (nodeSite[dominator] === site) {
        dominated = true;
        break;
      }
      dominator = dominance.dominator[dominator]!;
    }
    if (!dominated) tallies.get(site)!.retained += dominance.retained[node]!;
  }
  // Survivors whose stack V8 dropped (fallback.ts) go last: they name no code.
  const ranked = [...tallies.values()].sort((a, b) => Number(a.site === -1) - Number(b.site === -1) || b.bytes - a.bytes).slice(0, top);
  const sites: LeakSite[] = ranked.map((tally) => {
    const growth = judgeGrowth(tally.perRepetition, tally.bytes);
    const heaviest = [...tally.stacks.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    const held = tally.bytes >= NOISE_FLOOR_BYTES ? groupSurvivors(loaded, Uint32Array.from(tally.ids).sort(), 1).groups[0] : undefined;
    const unknown = { functionName: '(allocation site unknown)', script: '', line: null, column: null };
    return {
      site: traces && tally.site >= 0 ? frameOf(graph, traces, tally.site) : unknown,
      allocatedIn: traces && tally.allocating !== tally.site && tally.allocating >= 0 ? frameOf(graph, traces, tally.allocating) : null,
      foldedFrames: tally.folded,
      callers: traces && heaviest > 0 ? callersOf(graph, traces, heaviest, 4) : [],
      count: tally.count,
      selfSizeBytes: tally.bytes,
      retainedSizeBytes: tally.retained,
      perRepetitionBytes: tally.perRepetition,
      settleBytes: tally.settle,
      ...growth,
      heldBy: held?.path ?? null,
      example: objectRow(loaded, tally.example),
    };
  });
  const byPath: LeakGroup[] = groupSurvivors(loaded, Uint32Array.from(all).sort(), top).groups;
  return { survivors: { count, bytes }, sites, paths: byPath, notes };
}
