import type { BaseResult } from '../lib/result.js';
import type { CaptureRun } from './snapshot.js';

/** What `imdiag heap capture` returns (`--json`). Sizes in bytes, times in ms. */
export interface HeapCaptureResult extends BaseResult<'heap-capture'> {
  /** Absolute path of the snapshot written. */
  out: string;
  capture: CaptureRun;
}
