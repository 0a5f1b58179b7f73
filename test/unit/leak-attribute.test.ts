import { describe, expect, it } from 'vitest';
import { attributeByHolder, attributeByPath, UNKNOWN_SITE } from '../../src/core/leak/attribute.js';

/** Nodes 1…n; `sites[node]` the site (or UNKNOWN_SITE), `paths[node]` the retainer path, every node 100 bytes. */
function attribute(sites: number[], paths: number[]) {
  const siteOf = Int32Array.from(sites);
  const survivors = sites.map((_, node) => node).slice(1);
  const lent = attributeByPath(
    survivors,
    siteOf,
    (node) => paths[node]!,
    () => 100,
  );
  return { lent, sites: [...siteOf].slice(1) };
}

const U = UNKNOWN_SITE;

describe("attributeByPath: a survivor whose stack V8 dropped takes its retainer path's site", () => {
  it('the items of one array whose stacks were dropped count under the site that made the others (and only those)', () => {
    // Path 7 holds site 3's items; path 8 holds only stackless ones; path 9 is split between two sites evenly.
    const result = attribute([0, 3, 3, U, U, U, U, 4, 5, U], [0, 7, 7, 7, 7, 8, 8, 9, 9, 9]);
    expect(result.sites).toEqual([3, 3, 3, 3, U, U, 4, 5, 4]);
    expect(result.lent).toEqual({ count: 3, bytes: 300 });
  });

  it('a path no site holds at least half of lends nothing', () => {
    const result = attribute([0, 1, 2, 3, U], [0, 5, 5, 5, 5]);
    expect(result.sites).toEqual([1, 2, 3, U]);
    expect(result.lent).toEqual({ count: 0, bytes: 0 });
  });
});

describe('attributeByHolder: a stackless survivor takes the site of the survivor holding it', () => {
  const NOT = -2;
  const NONE = 0xffffffff;

  it("a Buffer's backing store (5) under its stackless ArrayBuffer (4) under a Buffer of site 3 (2); not through a non-survivor (6)", () => {
    // from[]: node 0 is the root; 1 is held by the root; 2 by 1; 4 by 2; 5 by 4; 6 (not a survivor) by 1; 7 by 6; 8 unreachable.
    const siteOf = Int32Array.from([NOT, NOT, 3, NOT, U, U, NOT, U, U]);
    const from = Uint32Array.from([NONE, 0, 1, 0, 2, 4, 1, 6, NONE]);
    const placed = attributeByHolder([2, 4, 5, 7, 8], siteOf, from, () => 100, NOT, 64);
    expect([...siteOf]).toEqual([NOT, NOT, 3, NOT, 3, 3, NOT, U, U]);
    expect(placed).toEqual({ count: 2, bytes: 200 });
  });
});
