import type { ValueHandler } from '../../lib/json-scanner.js';
import { LOCATED, type HeapGraph } from './graph.js';
import { wholeRecords } from './records.js';

/**
 * The snapshot's `locations` array: for an object whose constructor V8 can place in a script, the
 * node (object_index, a field offset into `nodes`), script_id, line and column. DevTools keys a
 * Summary row by that location as well as by the name (HeapSnapshot.ts `classKeyInternal`:
 * `${scriptId},${line},${column},${className}`), so two classes of one name from two files are two
 * rows. Each distinct location is kept once (consecutive entries usually repeat one), and each
 * (name, location) pair once: the node's name becomes that pair (HeapGraph.located).
 */
/** Distinct locations a snapshot may have: name × LOCATION_SPAN + location stays an exact integer. */
const LOCATION_SPAN = 2 ** 22;
export function locationsHandler(graph: HeapGraph, fields: string[], nodeStride: number): ValueHandler {
  const stride = fields.length;
  const [objectAt, scriptAt, lineAt, columnAt] = ['object_index', 'script_id', 'line', 'column'].map((field) => fields.indexOf(field)) as [
    number,
    number,
    number,
    number,
  ];
  if (stride === 0 || objectAt < 0 || scriptAt < 0 || lineAt < 0 || columnAt < 0) return { kind: 'skip' };
  const ids = new Map<string, number>();
  const pairs = new Map<number, number>();
  const objectType = graph.nodeTypes.indexOf('object');
  let lastScript = -1;
  let lastLine = -1;
  let lastColumn = -1;
  let lastId = 0;
  // Consecutive objects are mostly one class from one constructor: the last pair answers without a lookup.
  let lastName = -1;
  let lastPairId = -1;
  let lastLocated = 0;
  return {
    kind: 'numbers',
    numbers: wholeRecords(stride, (data, from, to) => {
      for (let at = from; at < to; at += stride) {
        const node = data[at + objectAt]! / nodeStride;
        // Only objects' rows are keyed by location (closures have locations too, and keep their names).
        if (!Number.isInteger(node) || node >= graph.nodeCount || graph.nodeType[node] !== objectType) continue;
        if (graph.locationKeys.length >= LOCATION_SPAN - 1) continue;
        const script = data[at + scriptAt]!;
        const line = data[at + lineAt]!;
        const column = data[at + columnAt]!;
        if (script !== lastScript || line !== lastLine || column !== lastColumn) {
          lastScript = script;
          lastLine = line;
          lastColumn = column;
          const key = `${script},${line},${column}`;
          let id = ids.get(key);
          if (id === undefined) {
            id = graph.locationKeys.length + 1;
            ids.set(key, id);
            graph.locationKeys.push(key);
          }
          lastId = id;
        }
        const name = graph.nodeName[node]!;
        if (name >= LOCATED) continue;
        if (name === lastName && lastId === lastPairId) {
          graph.nodeName[node] = lastLocated;
          continue;
        }
        const key = name * LOCATION_SPAN + lastId;
        let located = pairs.get(key);
        if (located === undefined) {
          located = LOCATED + graph.located.length;
          pairs.set(key, located);
          graph.located.push({ name, location: lastId });
        }
        graph.nodeName[node] = located;
        [lastName, lastPairId, lastLocated] = [name, lastId, located];
      }
    }),
    end: () => {},
  };
}
