import { EDGE_TYPE_BITS } from './graph.js';

/** Raised for input that is not a complete V8 heap snapshot; the message is one line. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/** Where a read's time goes: the header and nodes, the edges, the arrays between them and the strings (locations, traces), choosing the strings to keep, the strings. */
export interface ReadPhases {
  nodesMs: number;
  /** In one thread, reading the edges; with the edges thread, passing over them and waiting for it. */
  edgesMs: number;
  /** The edges thread's own time (0 in one thread). */
  edgesThreadMs: number;
  otherArraysMs: number;
  keepMs: number;
  stringsMs: number;
}

export interface Layout {
  nodeStride: number;
  typeAt: number;
  nameAt: number;
  idAt: number;
  sizeAt: number;
  edgeCountAt: number;
  /** -1 when the snapshot has no detachedness field (before Node 18's V8). */
  detachednessAt: number;
  edgeStride: number;
  edgeTypeAt: number;
  edgeNameAt: number;
  edgeToAt: number;
  nodeTypes: string[];
  edgeTypes: string[];
  nodeCount: number;
  edgeCount: number;
  locationFields: string[];
  /** -1 without allocation tracking. */
  traceNodeAt: number;
  traceFunctionFields: string[];
  traceNodeFields: string[];
}

/** The `snapshot` header's meta and counts → where each field sits in the nodes' and edges' records. */
export function readLayout(header: unknown): Layout {
  const h = header as { meta?: Record<string, unknown>; node_count?: unknown; edge_count?: unknown };
  const meta = h.meta ?? {};
  const nodeFields = meta.node_fields;
  const edgeFields = meta.edge_fields;
  const nodeTypes = Array.isArray(meta.node_types) ? (meta.node_types[0] as unknown) : undefined;
  const edgeTypes = Array.isArray(meta.edge_types) ? (meta.edge_types[0] as unknown) : undefined;
  if (!Array.isArray(nodeFields) || !Array.isArray(edgeFields) || !Array.isArray(nodeTypes) || !Array.isArray(edgeTypes)) {
    throw new SnapshotFormatError('the "snapshot" header has no meta.node_fields, edge_fields, node_types and edge_types');
  }
  const at = (fields: unknown[], name: string) => {
    const index = fields.indexOf(name);
    if (index < 0) throw new SnapshotFormatError(`the snapshot's meta lacks the field "${name}"`);
    return index;
  };
  if (typeof h.node_count !== 'number' || typeof h.edge_count !== 'number')
    throw new SnapshotFormatError('the "snapshot" header has no node_count / edge_count');
  if (edgeTypes.length > 1 << EDGE_TYPE_BITS) throw new SnapshotFormatError(`${edgeTypes.length} edge types; this reader packs at most ${1 << EDGE_TYPE_BITS}`);
  return {
    nodeStride: nodeFields.length,
    typeAt: at(nodeFields, 'type'),
    nameAt: at(nodeFields, 'name'),
    idAt: at(nodeFields, 'id'),
    sizeAt: at(nodeFields, 'self_size'),
    edgeCountAt: at(nodeFields, 'edge_count'),
    detachednessAt: nodeFields.indexOf('detachedness'),
    edgeStride: edgeFields.length,
    edgeTypeAt: at(edgeFields, 'type'),
    edgeNameAt: at(edgeFields, 'name_or_index'),
    edgeToAt: at(edgeFields, 'to_node'),
    nodeTypes: nodeTypes.map(String),
    edgeTypes: edgeTypes.map(String),
    nodeCount: h.node_count,
    edgeCount: h.edge_count,
    locationFields: Array.isArray(meta.location_fields) ? meta.location_fields.map(String) : [],
    traceNodeAt: nodeFields.indexOf('trace_node_id'),
    traceFunctionFields: Array.isArray(meta.trace_function_info_fields) ? meta.trace_function_info_fields.map(String) : [],
    traceNodeFields: Array.isArray(meta.trace_node_fields) ? meta.trace_node_fields.map(String) : [],
  };
}
