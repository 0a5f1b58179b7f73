import type { BaseResult } from '../lib/result.js';

/** What the target offered before the snapshot: the fit check's figures (src/core/heapsnapshot/capture.ts). */
export interface CaptureFacts {
  pid: number;
  via: string;
  heapUsedBytes: number;
  /** MemAvailable from /proc/meminfo (os.freemem() elsewhere). */
  memoryAvailableBytes: number;
  diskFreeBytes: number | null;
  /** What the capture was estimated to need, memory (in the target) and disk. */
  memoryNeededBytes: number;
  diskNeededBytes: number;
}

export interface CaptureRun extends CaptureFacts {
  bytesWritten: number;
  chunks: number;
  durationMs: number;
  /** True when the fit check failed and --force took it anyway. */
  forced: boolean;
}

/** What `imdiag heap capture` returns (`--json`). Sizes in bytes, times in ms. */
export interface HeapCaptureResult extends BaseResult<'heap-capture'> {
  /** Absolute path of the (first) snapshot written. */
  out: string;
  capture: CaptureRun;
  /** Every snapshot written, in order (one unless --count): all from one inspector session, so their object ids match. */
  series: Array<{ out: string; capture: CaptureRun }>;
}
