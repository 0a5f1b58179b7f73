import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/core/heapsnapshot/load.js';
import { snapshotSummary } from '../../src/core/heapsnapshot/summarise.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-dom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

type Edge = [type: string, name: string | number, to: string];
/** A snapshot file from a list of nodes: name → [type, class name, self size, edges]. */
function handBuilt(nodes: Array<[key: string, type: string, name: string, size: number, edges: Edge[]]>): string {
  const strings: string[] = [];
  const str = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const index = new Map(nodes.map(([key], i) => [key, i]));
  const flatNodes: number[] = [];
  const flatEdges: number[] = [];
  nodes.forEach(([, type, name, size, edges], i) => {
    flatNodes.push(NODE_TYPES.indexOf(type), str(name), i * 2 + 1, size, edges.length, 0, 0);
    for (const [edgeType, edgeName, to] of edges) {
      flatEdges.push(
        EDGE_TYPES.indexOf(edgeType),
        edgeType === 'element' || edgeType === 'hidden' ? (edgeName as number) : str(String(edgeName)),
        index.get(to)! * 7,
      );
    }
  });
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
  };
  return JSON.stringify({ snapshot: { meta, node_count: nodes.length, edge_count: flatEdges.length / 3 }, nodes: flatNodes, edges: flatEdges, strings });
}

describe('dominators and retained sizes by DevTools rules', () => {
  it('ignores weak edges, shortcuts off the root and edges from V8-owned into user-owned objects; counts nested instances once', async () => {
    const path = join(dir, 'hand.heapsnapshot');
    writeFileSync(
      path,
      handBuilt([
        [
          'root',
          'synthetic',
          '',
          0,
          [
            ['shortcut', 'global', 'G'],
            ['element', 1, 'R'],
          ],
        ],
        ['R', 'synthetic', '(GC roots)', 0, [['element', 1, 'E']]],
        [
          'G',
          'object',
          'global',
          1,
          [
            ['property', 'a', 'A'],
            ['property', 'b', 'B'],
          ],
        ],
        [
          'A',
          'object',
          'A',
          10,
          [
            ['property', 'c', 'C'],
            ['weak', 'w', 'D'],
            ['shortcut', 's', 'F'],
          ],
        ],
        [
          'B',
          'object',
          'B',
          20,
          [
            ['property', 'c', 'C'],
            ['property', 'd', 'D'],
            ['property', 'f', 'F'],
            ['property', 'n', 'B2'],
          ],
        ],
        ['C', 'object', 'C', 30, []],
        ['D', 'object', 'D', 40, []],
        ['E', 'object', 'E', 50, [['property', 'x', 'A']]],
        ['F', 'object', 'F', 5, []],
        ['B2', 'object', 'B', 20, []],
      ]),
    );
    const loaded = await loadSnapshot(path);
    const retained = (id: number) => loaded.dominance.retained[(id - 1) / 2];
    const dominatorId = (id: number) => loaded.graph.nodeId[loaded.dominance.dominator[(id - 1) / 2]!];
    // ids: node i has id 2i+1 — root 1, R 3, G 5, A 7, B 9, C 11, D 13, E 15, F 17, B2 19
    expect(dominatorId(11)).toBe(5); // C: retained through A and through B → the global
    expect(dominatorId(13)).toBe(9); // D: A's edge is weak → B
    expect(dominatorId(17)).toBe(9); // F: A's shortcut does not retain → B
    expect(dominatorId(7)).toBe(5); // A: E is not reachable from the global, so E → A does not count
    expect([retained(9), retained(7), retained(5), retained(15)]).toEqual([85, 10, 126, 50]);
    const summary = snapshotSummary(loaded, 10, 0);
    expect(summary.classes.find((row) => row.className === 'B')).toEqual({ className: 'B', count: 2, selfSizeBytes: 40, retainedSizeBytes: 85 });
    expect(summary.largest.map((object) => object.name)).toEqual(['B', 'E', 'C', 'A']);
    expect(summary.largest[0]!.retainers?.text).toBe('B ← b in global');
    expect(summary.largest[1]!.retainers?.text).toBe('E ← [1] in (GC roots)');
  });
});
