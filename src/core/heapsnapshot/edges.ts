import type { ValueHandler } from '../../lib/json-object-stream.js';
import { EDGE_TYPE_BITS, HUGE_NAME } from './graph.js';
import { SnapshotFormatError, type Layout } from './header.js';
import { wholeRecords } from './records.js';

/** Where the edges go: target node ordinals and packed name × 8 + type (graph.ts), edgeCount each. */
export interface EdgeArrays {
  edgeTo: Uint32Array;
  edgeNameType: Uint32Array;
}

/**
 * The `edges` array's handler: each record's target field turned into a node ordinal, its name
 * and type packed into one slot, every record checked against the header (targets at a node's
 * first field, names within reach). Used by the reader itself, or by the edges thread
 * (edges-thread.ts) that reads them beside it.
 */
export function edgesHandler(layout: Layout, into: EdgeArrays, done: () => void): ValueHandler {
  const { edgeCount, edgeStride, edgeTypeAt, edgeNameAt, edgeToAt, nodeStride, nodeCount } = layout;
  const element = layout.edgeTypes.indexOf('element');
  const hidden = layout.edgeTypes.indexOf('hidden');
  const nodeFieldsEnd = nodeCount * nodeStride;
  let edge = 0;
  const { edgeTo, edgeNameType } = into;
  return {
    kind: 'numbers',
    numbers: wholeRecords(edgeStride, (data, from, to) => {
      if (edge + (to - from) / edgeStride > edgeCount) throw new SnapshotFormatError(`"edges" holds more than the ${edgeCount} edges the header announces`);
      for (let at = from; at < to; at += edgeStride) {
        const type = data[at + edgeTypeAt]!;
        let name = data[at + edgeNameAt]!;
        const target = data[at + edgeToAt]!;
        const node = target / nodeStride;
        if (target >= nodeFieldsEnd || node !== Math.floor(node))
          throw new SnapshotFormatError(`edge ${edge} points at node field ${target}, not at one of the ${nodeCount} nodes`);
        edgeTo[edge] = node;
        if (name >= HUGE_NAME) {
          if (type !== element && type !== hidden)
            throw new SnapshotFormatError(`edge ${edge} names string ${name}; this reader indexes at most ${HUGE_NAME} strings`);
          name = HUGE_NAME;
        }
        edgeNameType[edge++] = name * (1 << EDGE_TYPE_BITS) + type;
      }
    }),
    end: (count) => {
      if (count !== edgeCount * edgeStride)
        throw new SnapshotFormatError(`"edges" holds ${count} numbers where the header's ${edgeCount} edges need ${edgeCount * edgeStride}`);
      done();
    },
  };
}
