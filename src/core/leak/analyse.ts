import { groupSurvivors, retainerPaths } from '../../core/heapsnapshot/leaks.js';
import type { LoadedSnapshot } from '../../core/heapsnapshot/load.js';
import { NONE } from '../../core/heapsnapshot/paths.js';
import { objectRow } from '../../core/heapsnapshot/summarise.js';
import { selfSizeOf } from '../../core/heapsnapshot/graph.js';
import type { LeakGroup } from '../../results/heap.js';
import type { LeakSite } from '../../results/leak.js';
import { callersOf, frameOf, siteResolver } from './frames.js';
import { judgeGrowth, leakedTotals } from './growth.js';
import { attributeByHolder, attributeByPath, UNKNOWN_SITE } from './attribute.js';
import { isV8Own } from './v8-own.js';
import { bytesHuman, count } from '../../lib/format.js';

const UNKNOWN_FRAME = { functionName: '(allocation site unknown)', script: '', line: null, column: null };

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
  /** Bytes per retainer path: the heaviest is what holds the site's survivors. */
  paths: Map<number, number>;
  /** Per class of the site's members no other member dominates: how many, and the one retaining most (the example's candidate). */
  classes: Map<number, { members: number; node: number; retained: number }>;
}

/**
 * The final snapshot's objects allocated after the baseline (id above marks[0]) and reachable,
 * grouped by allocation site (traces; a survivor whose stack V8 dropped takes the site of its
 * retainer path, attribute.ts), each with the repetition it was allocated in (marks[k-1] < id ≤
 * marks[k]), its retained size (members no other member of the site dominates) and the retainer
 * path holding most of it (the core's grouping, as `heap diff` groups survivors).
 */
export function analyseTracked(loaded: LoadedSnapshot, marks: number[], top: number) {
  const { graph, dominance, paths } = loaded;
  const traces = graph.traces;
  const notes: string[] = [];
  if (!traces || traces.functions.length === 0)
    notes.push('the final snapshot carries no allocation stacks: every survivor is under "(allocation site unknown)"');
  const unresolved = { site: UNKNOWN_SITE, allocating: -1, folded: 0, siteNode: 0 };
  const siteOf = traces ? siteResolver(graph, traces) : () => unresolved;
  const baseline = marks[0]!;
  const repetitions = marks.length - 1;
  // NOT_SURVIVOR, UNKNOWN_SITE or the site's function index.
  const nodeSite = new Int32Array(graph.nodeCount).fill(NOT_SURVIVOR);
  const resolvedOf = new Map<number, { allocating: number; folded: number; stacks: Map<number, number> }>();
  const survivors: number[] = [];
  const own = { count: 0, bytes: 0 };
  // V8's tracker numbers heap objects as they are allocated; a native node (a Buffer's backing store)
  // gets its id only when a snapshot first sees it, so its own id would make an old Buffer's store new
  // and date a new one after the last repetition. It takes the id of the nearest node above it on its
  // retainer path that V8 numbered (its ArrayBuffer).
  const datedId = (node: number): number => {
    if (graph.nodeType[node] !== loaded.types.native) return graph.nodeId[node]!;
    let at = paths.from[node]!;
    for (let steps = 0; steps < MAX_WALK && at !== NONE && at > 0; steps++) {
      if (graph.nodeType[at] !== loaded.types.native) return graph.nodeId[at]!;
      at = paths.from[at]!;
    }
    return graph.nodeId[node]!;
  };
  for (let node = 1; node < graph.nodeCount; node++) {
    const id = graph.nodeId[node]!;
    if (id % 2 === 0 || paths.from[node] === NONE || datedId(node) <= baseline) continue;
    if (isV8Own(loaded, node)) {
      own.count++;
      own.bytes += selfSizeOf(graph, node);
      continue;
    }
    const traceNode = traces?.traceNode[node] ?? 0;
    const resolved = traceNode > 0 ? siteOf(traceNode) : unresolved;
    nodeSite[node] = resolved.site;
    survivors.push(node);
    let known = resolvedOf.get(resolved.site);
    if (!known) resolvedOf.set(resolved.site, (known = { allocating: resolved.allocating, folded: resolved.folded, stacks: new Map() }));
    known.stacks.set(resolved.siteNode, (known.stacks.get(resolved.siteNode) ?? 0) + selfSizeOf(graph, node));
  }
  if (own.count > 0)
    notes.push(
      `${count(own.count)} objects (${bytesHuman(own.bytes)}) V8 made for itself as the workload reached new code (compiled code, script sources and line tables) are left out: warm-up, not data`,
    );
  const retainers = retainerPaths(loaded);
  const size = (node: number) => selfSizeOf(graph, node);
  const byPath = attributeByPath(survivors, nodeSite, retainers.pathOf, size);
  const byHolder = attributeByHolder(survivors, nodeSite, paths.from, size, NOT_SURVIVOR, MAX_WALK);
  if (byPath.count + byHolder.count > 0)
    notes.push(
      `${count(byPath.count + byHolder.count)} survivors (${bytesHuman(byPath.bytes + byHolder.bytes)}) without an allocation stack (objects a GC moved after V8 numbered them, Buffers' backing stores) are counted under the site of their retainer path or of the survivor holding them`,
    );
  const tallies = new Map<number, SiteTally>();
  let total = 0;
  for (const node of survivors) {
    const site = nodeSite[node]!;
    const bytes = size(node);
    let tally = tallies.get(site);
    if (!tally) {
      const known = resolvedOf.get(site)!;
      tally = {
        site,
        allocating: known.allocating,
        folded: known.folded,
        count: 0,
        bytes: 0,
        retained: 0,
        perRepetition: new Array<number>(repetitions).fill(0),
        settle: 0,
        stacks: known.stacks,
        paths: new Map(),
        classes: new Map(),
      };
      tallies.set(site, tally);
    }
    tally.count++;
    tally.bytes += bytes;
    const path = retainers.pathOf(node);
    tally.paths.set(path, (tally.paths.get(path) ?? 0) + bytes);
    const dated = datedId(node);
    const window = marks.findIndex((mark) => dated <= mark);
    if (window > 0) tally.perRepetition[window - 1]! += bytes;
    else tally.settle += bytes;
    total += bytes;
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
    if (dominated) continue;
    const tally = tallies.get(site)!;
    tally.retained += dominance.retained[node]!;
    // The example's candidates: members no other member holds (a record, not its array or string).
    const cls = loaded.classes.nodeClass[node]!;
    const ofClass = tally.classes.get(cls);
    if (!ofClass) tally.classes.set(cls, { members: 1, node, retained: dominance.retained[node]! });
    else {
      ofClass.members++;
      if (dominance.retained[node]! > ofClass.retained) Object.assign(ofClass, { node, retained: dominance.retained[node]! });
    }
  }
  // Survivors whose stack V8 dropped (fallback.ts) and no path lent a site go last: they name no code.
  const unknownBytes = tallies.get(UNKNOWN_SITE)?.bytes ?? 0;
  const growthOf = new Map([...tallies.values()].map((tally) => [tally, judgeGrowth(tally.perRepetition)]));
  const leaked = leakedTotals(
    [...growthOf].map(([tally, growth]) => ({ selfSizeBytes: tally.bytes, growth })),
    repetitions,
  );
  const ranked = [...tallies.values()].sort((a, b) => Number(a.site === UNKNOWN_SITE) - Number(b.site === UNKNOWN_SITE) || b.bytes - a.bytes).slice(0, top);
  const sites: LeakSite[] = ranked.map((tally) => {
    const growth = growthOf.get(tally)!;
    const heaviest = [...tally.stacks.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    const held = [...tally.paths.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    return {
      site: traces && tally.site >= 0 ? frameOf(graph, traces, tally.site) : UNKNOWN_FRAME,
      allocatedIn: traces && tally.allocating !== tally.site && tally.allocating >= 0 ? frameOf(graph, traces, tally.allocating) : null,
      foldedFrames: tally.folded,
      callers: traces && heaviest > 0 ? callersOf(graph, traces, heaviest, 4) : [],
      count: tally.count,
      selfSizeBytes: tally.bytes,
      retainedSizeBytes: tally.retained,
      perRepetitionBytes: tally.perRepetition,
      settleBytes: tally.settle,
      ...growth,
      heldBy: held === undefined ? null : retainers.text(held) || null,
      example: objectRow(loaded, exampleOf(tally)),
    };
  });
  const ids = Uint32Array.from(survivors, (node) => graph.nodeId[node]!).sort();
  const groups: LeakGroup[] = groupSurvivors(loaded, ids, top).groups;
  return { survivors: { count: survivors.length, bytes: total }, unknownBytes, sites, leaked, paths: groups, notes };
}

/**
 * The site's example: of its members no other member holds, the class with the most of them, and
 * of that class the one retaining most — what the site leaks (a session record, with its array and
 * strings in its retained size), not a backing store it owns, nor the hidden class V8 made beside
 * the records (one object, which can retain more than one small record).
 */
function exampleOf(tally: SiteTally): number {
  let best: { members: number; retained: number; node: number } | null = null;
  for (const ofClass of tally.classes.values())
    if (!best || ofClass.members > best.members || (ofClass.members === best.members && ofClass.retained > best.retained)) best = ofClass;
  // Every site has a candidate: its topmost member (a walk cut at MAX_WALK counts its node as one too).
  return best!.node;
}
