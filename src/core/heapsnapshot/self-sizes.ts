import { createReadStream } from 'node:fs';
import { JsonObjectStream, type ValueHandler } from '../../lib/json-object-stream.js';

export interface ConstructorRow {
  count: number;
  selfSizeBytes: number;
}

export interface SnapshotGroups {
  /** Object nodes by constructor name; other nodes by kind: "(string)" for every string kind, "(native)", "(code)", "(array)"… */
  rows: Map<string, ConstructorRow>;
  nodeCount: number;
}

/** Off-heap memory V8 tracks in the snapshot (ArrayBuffer backing stores and the like). */
export const NATIVE = '(native)';
/** The `snapshot` header is ~1 KB (meta, counts); far more means this is not a V8 heap snapshot. */
const MAX_HEADER_BYTES = 1024 * 1024;

interface SnapshotHeader {
  meta?: { node_fields?: unknown; node_types?: unknown };
  node_count?: unknown;
}

function kindOf(type: string): string {
  if (type === 'native') return NATIVE;
  return type.includes('string') ? '(string)' : `(${type})`;
}

/** Read size: memory stays this plus one row per constructor name, whatever the snapshot's size. */
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

export function groupSnapshotFile(path: string, chunkBytes = SNAPSHOT_CHUNK_BYTES): Promise<SnapshotGroups> {
  return groupSnapshot(createReadStream(path, { highWaterMark: chunkBytes }));
}

/**
 * The cheap pass, kept for snapshots the full analysis (load.ts) cannot read, e.g. one without
 * edges: self size and count per constructor from a .heapsnapshot read chunk by chunk, in memory
 * bounded by the number of distinct constructor names: the nodes array is folded as it streams
 * past, edges and every other array are skipped, and of the strings only the names of object
 * nodes are decoded. V8 (v8.writeHeapSnapshot, and the `heapdump` addon, which calls the same
 * serializer) writes `snapshot` first, then `nodes`, `edges`, trace and location arrays, and
 * `strings` last; any order works here as long as the header precedes nodes and nodes precede
 * strings.
 */
export async function groupSnapshot(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<SnapshotGroups> {
  const grouper = new SnapshotGrouper();
  const stream = new JsonObjectStream((key) => grouper.handlerFor(key));
  for await (const chunk of chunks) stream.push(chunk);
  stream.end();
  return grouper.result();
}

class SnapshotGrouper {
  private layout: { stride: number; typeAt: number; nameAt: number; sizeAt: number; types: string[]; objectType: number; nodeCount: number | null } | undefined;
  private nodesRead = false;
  private stringsRead = false;
  private field = 0;
  private type = 0;
  private name = 0;
  private size = 0;
  private nodeCount = 0;
  /** Object nodes by the index of their name in `strings`; other nodes by type index. */
  private readonly byName = new Map<number, ConstructorRow>();
  private readonly byType = new Map<number, ConstructorRow>();
  private readonly names = new Map<number, string>();

  handlerFor(key: string): ValueHandler {
    if (key === 'snapshot') return { kind: 'capture', maxBytes: MAX_HEADER_BYTES, value: (header) => this.readHeader(header as SnapshotHeader) };
    if (key === 'nodes') {
      if (!this.layout) throw new Error('"nodes" comes before the "snapshot" header that describes them');
      return {
        kind: 'numbers',
        numbers: (batch, count) => {
          for (let i = 0; i < count; i++) this.nodeField(batch[i]!);
        },
        end: (count) => this.nodesEnded(count),
      };
    }
    if (key === 'strings') {
      if (!this.nodesRead) throw new Error('"strings" comes before "nodes": the names needed are not known yet');
      return {
        kind: 'strings',
        keep: (index) => this.byName.has(index),
        string: (index, value) => this.names.set(index, value),
        end: () => (this.stringsRead = true),
      };
    }
    return { kind: 'skip' };
  }

  private readHeader(header: SnapshotHeader): void {
    const fields = header.meta?.node_fields;
    const types = Array.isArray(header.meta?.node_types) ? (header.meta.node_types[0] as unknown) : undefined;
    if (!Array.isArray(fields) || !Array.isArray(types)) throw new Error('the "snapshot" header has no meta.node_fields / meta.node_types');
    const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
    if (typeAt! < 0 || nameAt! < 0 || sizeAt! < 0) throw new Error(`meta.node_fields lacks type, name or self_size: ${JSON.stringify(fields)}`);
    const nodeCount = typeof header.node_count === 'number' ? header.node_count : null;
    this.layout = {
      stride: fields.length,
      typeAt: typeAt!,
      nameAt: nameAt!,
      sizeAt: sizeAt!,
      types: types.map(String),
      objectType: types.indexOf('object'),
      nodeCount,
    };
  }

  private nodeField(value: number): void {
    const layout = this.layout!;
    const field = this.field;
    if (field === layout.typeAt) this.type = value;
    else if (field === layout.nameAt) this.name = value;
    else if (field === layout.sizeAt) this.size = value;
    if (field + 1 < layout.stride) {
      this.field = field + 1;
      return;
    }
    this.field = 0;
    this.nodeCount++;
    const rows = this.type === layout.objectType ? this.byName : this.byType;
    const key = this.type === layout.objectType ? this.name : this.type;
    const row = rows.get(key);
    if (row) {
      row.count++;
      row.selfSizeBytes += this.size;
    } else rows.set(key, { count: 1, selfSizeBytes: this.size });
  }

  private nodesEnded(count: number): void {
    const { stride, nodeCount } = this.layout!;
    if (count % stride !== 0) throw new Error(`"nodes" holds ${count} numbers, not a multiple of the ${stride} fields a node has`);
    if (nodeCount !== null && nodeCount !== this.nodeCount) throw new Error(`"nodes" holds ${this.nodeCount} nodes where the header says ${nodeCount}`);
    this.nodesRead = true;
  }

  result(): SnapshotGroups {
    if (!this.nodesRead) throw new Error('no "nodes" array');
    if (!this.stringsRead && this.byName.size > 0) throw new Error('no "strings" array after "nodes"');
    const rows = new Map<string, ConstructorRow>();
    const add = (key: string, row: ConstructorRow) => {
      const sum = rows.get(key) ?? { count: 0, selfSizeBytes: 0 };
      rows.set(key, { count: sum.count + row.count, selfSizeBytes: sum.selfSizeBytes + row.selfSizeBytes });
    };
    for (const [name, row] of this.byName) add(this.names.get(name) ?? '(unknown)', row);
    for (const [type, row] of this.byType) add(kindOf(this.layout!.types[type] ?? 'unknown'), row);
    return { rows, nodeCount: this.nodeCount };
  }
}
