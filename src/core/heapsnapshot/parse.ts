import { JsonObjectStream, type ValueHandler } from '../../lib/json-object-stream.js';
import { LOCATED, OVERSIZE, type HeapGraph } from './graph.js';
import { readLayout, SnapshotFormatError, type Layout, type ReadPhases } from './header.js';
import { edgesHandler } from './edges.js';
import { startEdgesThread, type EdgesThread } from './edges-thread.js';
import { locationsHandler } from './locations.js';
import { wholeRecords } from './records.js';
import { emptyTraces, functionInfosHandler, traceStrings, traceTreeHandler } from './traces.js';

/** The `snapshot` header is ~1 KB (meta, counts); far more means this is not a V8 heap snapshot. */
const MAX_HEADER_BYTES = 1024 * 1024;

export { SnapshotFormatError, type ReadPhases } from './header.js';

export interface ParseOptions {
  /** Called once nodes and edges are in, before `strings` streams past: which strings to decode. */
  keep(graph: HeapGraph): (index: number) => boolean;
  /** Filled in as the read goes: ms from the start to the end of `nodes`, then of `edges`, … */
  phases?: ReadPhases;
  /** The snapshot's file, when its edges are to be read by a thread of their own (edges-thread.ts) beside this reader. */
  edgesThreadPath?: string;
}

/**
 * Reads a .heapsnapshot chunk by chunk into a HeapGraph. V8 writes `snapshot` (the header with
 * meta and counts), `nodes`, `edges`, trace and location arrays, then `strings`; the header must
 * precede nodes and edges, and nodes and edges must precede strings, as every V8 writer does.
 */
export async function parseSnapshot(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ParseOptions): Promise<HeapGraph> {
  const reader = new GraphReader(options);
  const stream = new JsonObjectStream(
    (key) => reader.handlerFor(key),
    (key) => key === 'strings' && reader.edgesPending(),
  );
  try {
    for await (const chunk of chunks) {
      // With the edges thread, the stream pauses at "strings": the edges must be in before the strings are chosen.
      for (let at = stream.push(chunk); stream.paused; at += stream.push(chunk.subarray(at))) {
        await reader.edgesDone();
        stream.resume();
      }
    }
    stream.end();
    return reader.result(stream);
  } finally {
    reader.stop();
  }
}

class GraphReader {
  private layout: Layout | undefined;
  private graph: HeapGraph | undefined;
  private nodesRead = false;
  private edgesRead = false;
  private stringsRead = false;
  private edgesThread: EdgesThread | null = null;
  private edgesPassed = false;
  private readonly options: ParseOptions;
  private lapAt = performance.now();

  constructor(options: ParseOptions) {
    this.options = options;
  }

  /** Adds the time since the last lap to one read phase. */
  private lap(phase: keyof ReadPhases): void {
    const now = performance.now();
    if (this.options.phases) this.options.phases[phase] += now - this.lapAt;
    this.lapAt = now;
  }

  handlerFor(key: string): ValueHandler {
    if (key === 'snapshot') return { kind: 'capture', maxBytes: MAX_HEADER_BYTES, value: (header) => this.readHeader(header) };
    if (key === 'nodes') return this.nodesHandler();
    if (key === 'edges') return this.edgesHandler();
    if (key === 'locations' && this.graph && (this.edgesRead || this.edgesPassed))
      return locationsHandler(this.graph, this.layout!.locationFields, this.layout!.nodeStride);
    const traces = this.graph?.traces;
    if (key === 'trace_function_infos' && traces) return functionInfosHandler(traces, this.layout!.traceFunctionFields);
    if (key === 'trace_tree' && traces) return traceTreeHandler(traces, this.layout!.traceNodeFields);
    if (key === 'strings') {
      if (!this.nodesRead || !this.edgesRead) throw new SnapshotFormatError('"strings" comes before "nodes" and "edges"');
      const graph = this.graph!;
      this.lap('otherArraysMs');
      const keepOthers = this.options.keep(graph);
      const traced = traceStrings(graph.traces);
      const keep = traced.size === 0 ? keepOthers : (index: number) => keepOthers(index) || traced.has(index);
      this.lap('keepMs');
      return {
        kind: 'strings',
        keep,
        string: (index, value) => graph.strings.set(index, value),
        end: (count) => {
          graph.stringCount = count;
          this.stringsRead = true;
          this.lap('stringsMs');
        },
      };
    }
    return { kind: 'skip' };
  }

  private readHeader(header: unknown): void {
    this.layout = readLayout(header);
    if (this.options.edgesThreadPath !== undefined && this.layout.edgeCount > 0) this.edgesThread = startEdgesThread(this.options.edgesThreadPath, this.layout);
  }

  edgesPending(): boolean {
    return this.edgesPassed && !this.edgesRead;
  }

  /** At "strings": waits for the edges thread. */
  async edgesDone(): Promise<void> {
    this.lap('otherArraysMs');
    const ms = await this.edgesThread!.done;
    if (this.options.phases) this.options.phases.edgesThreadMs = ms;
    this.edgesRead = true;
    this.lap('edgesMs');
  }

  stop(): void {
    this.edgesThread?.stop();
  }

  private nodesHandler(): ValueHandler {
    const layout = this.layout;
    if (!layout) throw new SnapshotFormatError('"nodes" comes before the "snapshot" header that describes them');
    const { nodeCount, nodeStride, typeAt, nameAt, idAt, sizeAt, edgeCountAt } = layout;
    const graph: HeapGraph = {
      nodeCount,
      edgeCount: layout.edgeCount,
      nodeType: new Uint8Array(nodeCount),
      nodeName: new Uint32Array(nodeCount),
      nodeId: new Uint32Array(nodeCount),
      selfSize: new Uint32Array(nodeCount),
      oversize: new Map(),
      // Shared with the paths thread (paths-thread.ts) when the edges are, so it reads them in place.
      firstEdge: new Uint32Array(this.edgesThread ? new SharedArrayBuffer((nodeCount + 1) * 4) : new ArrayBuffer((nodeCount + 1) * 4)),
      edgeNameType: new Uint32Array(0),
      edgeTo: new Uint32Array(0),
      nodeTypes: layout.nodeTypes,
      edgeTypes: layout.edgeTypes,
      strings: new Map(),
      stringCount: 0,
      detached: new Float64Array(0),
      located: [],
      locationKeys: [],
      fileBytes: 0,
    };
    if (layout.traceNodeAt >= 0) graph.traces = emptyTraces(nodeCount);
    this.graph = graph;
    const traceNode = graph.traces?.traceNode;
    const traceAt = layout.traceNodeAt;
    let node = 0;
    let edges = 0;
    const detachedAt = layout.detachednessAt;
    const detached: number[] = [];
    const tooMany = () => new SnapshotFormatError(`"nodes" holds more than the ${nodeCount} nodes the header announces`);
    const { nodeType, nodeName, nodeId, selfSize, firstEdge } = graph;
    return {
      kind: 'numbers',
      numbers: wholeRecords(nodeStride, (data, from, to) => {
        if (node + (to - from) / nodeStride > nodeCount) throw tooMany();
        for (let at = from; at < to; at += nodeStride) {
          nodeType[node] = data[at + typeAt]!;
          const name = data[at + nameAt]!;
          if (name >= LOCATED) throw new SnapshotFormatError(`node ${node} names string ${name}; this reader indexes fewer strings`);
          nodeName[node] = name;
          const id = data[at + idAt]!;
          if (id > 0xffffffff) throw new SnapshotFormatError(`node id ${id} is past 2^32 (V8's ids are 32-bit)`);
          nodeId[node] = id;
          const size = data[at + sizeAt]!;
          if (size >= OVERSIZE) {
            selfSize[node] = OVERSIZE;
            graph.oversize.set(node, size);
          } else selfSize[node] = size;
          if (detachedAt >= 0 && (data[at + detachedAt]! & 3) !== 0) detached.push(node * 4 + (data[at + detachedAt]! & 3));
          if (traceNode) traceNode[node] = data[at + traceAt]!;
          edges += data[at + edgeCountAt]!;
          firstEdge[++node] = edges;
        }
      }),
      end: (count) => {
        if (count !== nodeCount * nodeStride)
          throw new SnapshotFormatError(`"nodes" holds ${count} numbers where the header's ${nodeCount} nodes need ${nodeCount * nodeStride}`);
        if (edges !== layout.edgeCount)
          throw new SnapshotFormatError(`the nodes' edge counts add up to ${edges} where the header says ${layout.edgeCount} edges`);
        graph.detached = Float64Array.from(detached);
        this.nodesRead = true;
        this.lap('nodesMs');
      },
    };
  }

  private edgesHandler(): ValueHandler {
    const layout = this.layout;
    const graph = this.graph;
    if (!layout || !graph || !this.nodesRead) throw new SnapshotFormatError('"edges" comes before "nodes"');
    const thread = this.edgesThread;
    if (thread) {
      // Read by the edges thread beside this one: passed over here, waited for before the strings.
      Object.assign(graph, { edgeTo: thread.edgeTo, edgeNameType: thread.edgeNameType });
      return {
        kind: 'elsewhere',
        end: () => {
          this.edgesPassed = true;
          this.lap('edgesMs');
        },
      };
    }
    graph.edgeNameType = new Uint32Array(layout.edgeCount);
    graph.edgeTo = new Uint32Array(layout.edgeCount);
    return edgesHandler(layout, graph, () => {
      this.edgesRead = true;
      this.lap('edgesMs');
    });
  }

  result(stream: JsonObjectStream): HeapGraph {
    if (!this.layout) throw new SnapshotFormatError('no "snapshot" header');
    if (!this.nodesRead || !this.edgesRead) throw new SnapshotFormatError(`no "${this.nodesRead ? 'edges' : 'nodes'}" array`);
    if (!this.stringsRead) throw new SnapshotFormatError('no "strings" array after "nodes" and "edges"');
    const graph = this.graph!;
    graph.fileBytes = stream.bytesRead;
    return graph;
  }
}
