import type { HostPort } from '../../lib/inspector/address.js';

/**
 * Where a live process's memory is read from. One file per source in this folder, one shape:
 * `open…(spec, signal)` resolves once the first reading could be taken (so a bad target is an
 * error before any watching starts), then `sample()` as often as the caller likes.
 */
export type SourceSpec =
  | { kind: 'inspector'; address: HostPort; forceGcEveryMs: number | null }
  | { kind: 'pid'; pid: number; openInspector: boolean; forceGcEveryMs: number | null }
  | { kind: 'metrics'; url: string };

export type SourceKind = SourceSpec['kind'];

/** One reading. Null: this source cannot read that figure. Bytes; time in ms since the epoch. */
export interface MemorySample {
  time: number;
  heapUsed: number | null;
  heapTotal: number | null;
  /** V8's heap_size_limit (old space cap + young generation), when the source can read it. */
  heapLimit: number | null;
  /**
   * The old generation's use (every V8 space but the young generation's and the read-only one):
   * what --max-old-space-size caps, without the young generation's sawtooth and its growth while
   * the semi-spaces size up. Absent or null: the source cannot read it.
   */
  oldGenerationUsed?: number | null;
  /** Includes arrayBuffers (Node's process.memoryUsage() counts Buffers in both). */
  external: number | null;
  arrayBuffers: number | null;
  rss: number | null;
  /** Taken right after HeapProfiler.collectGarbage (--force-gc-every): heapUsed is what is live. */
  afterForcedGc: boolean;
  /**
   * A major (mark-compact) collection ran since the previous sample: old-space use fell. heapUsed
   * is then near a trough of the sawtooth; the heap trend is fitted on these when not forcing GC.
   * Null: the source cannot tell.
   */
  afterMajorGc: boolean | null;
}

/** What the source learnt about the process once, at the start. */
export interface TargetFacts {
  pid: number | null;
  /** `node[4242]` or the metrics URL: how the process is named in the result. */
  label: string;
  nodeVersion: string | null;
  /** --max-old-space-size the process runs with (from process.execArgv, then NODE_OPTIONS), MB. */
  maxOldSpaceSizeMB: number | null;
  maxOldSpaceSizeFrom: 'execArgv' | 'NODE_OPTIONS' | null;
  /** V8's heap_size_limit. */
  heapSizeLimit: number | null;
  /** The memory limit of the process's cgroup (memory.max / memory.limit_in_bytes), when one is set. */
  cgroupMemoryLimit: number | null;
  /** How the source reaches the process, e.g. `inspector 127.0.0.1:9229 (opened with SIGUSR1)`. */
  via: string;
}

export interface MemorySource {
  readonly kind: SourceKind;
  readonly facts: TargetFacts;
  /** One reading. Rejects with TargetGone when the process has gone away (an outcome, not an error). */
  sample(): Promise<MemorySample>;
  close(): Promise<void>;
}

/** The process stopped answering for good: it exited, or its inspector/metrics endpoint closed. */
export class TargetGone extends Error {
  override readonly name = 'TargetGone';
}
