/** A survivor of no known allocation site (V8 dropped its stack, fallback.ts). */
export const UNKNOWN_SITE = -1;
/** Of a path's survivors with a known stack, the share one site must hold to lend it the others. */
const DOMINANT_SHARE = 0.5;

/**
 * V8 drops the allocation stack of a numbered object a GC moves (fallback.ts), so many survivors
 * of a leaking site carry none, and which ones depends on when the GCs ran: counting only the
 * survivors that kept theirs makes a steady leak look uneven across repetitions. Their retainer
 * path still says where they sit: the survivors of one path (the items of one array, the values of
 * one queue) that kept a stack mostly came from one site, so the others on that path are taken as
 * that site's too. Their ids, not their stacks, date them to a repetition. Returns how many
 * survivors and bytes were attributed so.
 */
export function attributeByPath(
  survivors: readonly number[],
  siteOf: Int32Array,
  pathOf: (node: number) => number,
  sizeOf: (node: number) => number,
): { count: number; bytes: number } {
  const known = new Map<number, Map<number, number>>();
  const paths = new Map<number, number>();
  for (const node of survivors) {
    const path = pathOf(node);
    paths.set(node, path);
    const site = siteOf[node]!;
    if (site === UNKNOWN_SITE) continue;
    let bySite = known.get(path);
    if (!bySite) known.set(path, (bySite = new Map()));
    bySite.set(site, (bySite.get(site) ?? 0) + sizeOf(node));
  }
  const dominant = new Map<number, number>();
  for (const [path, bySite] of known) {
    let total = 0;
    let best = UNKNOWN_SITE;
    let bestBytes = -1;
    for (const [site, bytes] of bySite) {
      total += bytes;
      if (bytes > bestBytes) [best, bestBytes] = [site, bytes];
    }
    if (bestBytes >= total * DOMINANT_SHARE) dominant.set(path, best);
  }
  let count = 0;
  let bytes = 0;
  for (const node of survivors) {
    if (siteOf[node] !== UNKNOWN_SITE) continue;
    const site = dominant.get(paths.get(node)!);
    if (site === undefined) continue;
    siteOf[node] = site;
    count++;
    bytes += sizeOf(node);
  }
  return { count, bytes };
}

/**
 * What a stackless survivor's holder was allocated by, when the holder is itself a survivor with a
 * site: a Buffer's backing store (allocated outside the JS heap, never with a stack) under its
 * ArrayBuffer, the parts of a concatenated string under the packet that holds them. Walks up the
 * retainer path (`from`) through survivors only, at most `maxWalk` steps. Returns what it placed.
 */
export function attributeByHolder(
  survivors: readonly number[],
  siteOf: Int32Array,
  from: Uint32Array,
  sizeOf: (node: number) => number,
  notSurvivor: number,
  maxWalk: number,
): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const node of survivors) {
    if (siteOf[node] !== UNKNOWN_SITE) continue;
    let at = from[node]!;
    for (let steps = 0; steps < maxWalk && at > 0 && at < siteOf.length && siteOf[at] !== notSurvivor; steps++) {
      if (siteOf[at] !== UNKNOWN_SITE) {
        siteOf[node] = siteOf[at]!;
        count++;
        bytes += sizeOf(node);
        break;
      }
      at = from[at]!;
    }
  }
  return { count, bytes };
}
