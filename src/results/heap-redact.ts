import type { BaseResult } from '../lib/result.js';

/** What `heap redact` wrote (src/core/heapsnapshot/redact.ts). Sizes in bytes, times in ms. */
export interface HeapRedactFigures {
  fileBytes: number;
  bytesWritten: number;
  nodeCount: number;
  edgeCount: number;
  strings: {
    /** Entries of the snapshot's string table. */
    total: number;
    /** Entries whose text was replaced by same-length filler (string values, data-like names). */
    replaced: number;
    /** Entries kept as they were (constructor, property, function and V8's names). */
    kept: number;
    /** Fillers appended for the string values whose text is also a kept name. */
    fillersAdded: number;
  };
  durationMs: number;
}

/** What `imdiag heap redact IN OUT` returns (`--json`). */
export interface HeapRedactResult extends BaseResult<'heap-redact'> {
  /** The snapshot read, as given. */
  in: string;
  /** Absolute path of the copy written. */
  out: string;
  redaction: HeapRedactFigures;
}
