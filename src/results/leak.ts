import type { BaseResult, ConditionOutcome } from '../lib/result.js';
import type { HeapObjectRow, LeakGroup } from './heap.js';

/** One stack frame of an allocation: the function and where it is defined (V8 records no line inside it). */
export interface AllocationFrame {
  functionName: string;
  /** The script's name or URL; '' when V8 had none. */
  script: string;
  /** 1-based definition line and column of the function; null when unknown. */
  line: number | null;
  column: number | null;
}

/** Objects allocated after the baseline and alive at the end, by the allocation site that made them. */
export interface LeakSite {
  /** The allocating frame, or the nearest caller in the user's code when it is in node_modules or Node's internals. */
  site: AllocationFrame;
  /** The frame that allocated, when folded into `site` (null: `site` allocated). */
  allocatedIn: AllocationFrame | null;
  /** Frames of node_modules and Node's internals folded between the allocating frame and `site`. */
  foldedFrames: number;
  /** The user's frames above `site`, nearest first (at most 4), from the stack that allocated the most. */
  callers: AllocationFrame[];
  count: number;
  selfSizeBytes: number;
  /** Retained by the group's members that no other member dominates (null in sampling mode). */
  retainedSizeBytes: number | null;
  /** Survivors allocated during each repetition of the workload (bytes); the settle period's in `settleBytes`. */
  perRepetitionBytes: number[];
  settleBytes: number;
  /** Survivors from every repetition: grows with each; null with --repeat 1, or for a sampled site whose few samples cannot tell (core/leak/sampled-growth.ts). */
  growing: boolean | null;
  /**
   * When not growing: `first` (the first repetition kept most: filled once, or built on the first
   * requests), `latest` (no repetition kept more than the next: an evicting cache, or a leak whose
   * first repetition warmed up), `uneven` (neither: a draining backlog looks like this); else null.
   */
  pattern: NotGrowingPattern | null;
  /** Median of perRepetitionBytes when growing or unjudged on too few samples (a sampled site's suspect), else null. */
  bytesPerRepetition: number | null;
  /** The retainer path holding most of the group's bytes (as `heap diff` writes paths); null in sampling mode. */
  heldBy: string | null;
  example: HeapObjectRow | null;
  /** At or above the noise floor and not a cache that filled once: counted as leaked. */
  leaking: boolean;
  /**
   * The sampling heap profiler's site (--sampling, or tracking's when V8 dropped most survivors'
   * allocation stacks): `count` is samples and the sizes estimates (a sample every ~32 KB allocated
   * with --sampling, ~1 KB beside the tracker). Absent: the tracker's, objects and exact sizes.
   */
  sampled?: true;
  /** A sampled site's samples in each repetition (what its growth was judged on; growing null below DECIDING_SAMPLES). */
  perRepetitionSamples?: number[];
}

export type NotGrowingPattern = 'first' | 'latest' | 'uneven';

export interface WorkloadRun {
  repetition: number;
  kind: 'during' | 'duration';
  /** The shell command (--during), else null. */
  command: string | null;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** The last lines of its stdout and stderr together (at most 2 KB). */
  outputTail: string;
  /** It said its load was over and held its connections to the target until leak's mark (and, last, the final snapshot): \`imdiag flood --target\`'s monitors. */
  held: boolean;
}

/** The target's heap after a forced GC at each step, and its RSS (the tracker's memory lies outside the V8 heap). */
export interface LeakHeapReading {
  label: string;
  tMs: number;
  heapUsedBytes: number;
  rssBytes: number | null;
  /** process.memoryUsage().arrayBuffers: Buffers' and ArrayBuffers' memory, outside the V8 heap. */
  arrayBuffersBytes: number | null;
}

/** What `imdiag leak` returns (`--json`). Sizes in bytes, times in ms. */
export interface LeakResult extends BaseResult<'leak'> {
  options: { mode: 'tracking' | 'sampling'; workload: string; repeat: number; settleMs: number; top: number; failOn: string[] };
  /** 'stopped': Ctrl-C or a signal before the analysis; the figures cover what ran. */
  status: 'ok' | 'stopped';
  target: { pid: number; via: string };
  workloads: WorkloadRun[];
  heap: LeakHeapReading[];
  cost: {
    /** The pause of starting allocation tracking (V8 numbers every live object first); null in sampling mode. */
    trackingStartMs: number | null;
    /** The final snapshot's pause of the target (tracking mode), null when none was taken. */
    snapshotMs: number | null;
    snapshotBytes: number | null;
    /** RSS rise from the baseline to the end minus the V8 heap's rise: mostly the tracker's own memory. */
    outsideHeapRiseBytes: number | null;
    analysisMs: number | null;
  };
  /** A group below this many bytes is noise (see README, `imdiag leak`). */
  noiseFloorBytes: number;
  /** All objects allocated after the baseline and alive at the end; null when no analysis ran. */
  survivors: { count: number; bytes: number } | null;
  sites: LeakSite[];
  /** The same survivors by retainer path (tracking mode). */
  paths: LeakGroup[];
  leakedBytes: number;
  /** Sum over leaking sites of bytesPerRepetition; null with --repeat 1. */
  leakedPerRepetitionBytes: number | null;
  verdict: { leaking: boolean; lines: string[] };
  conditions: ConditionOutcome[];
  notes: string[];
}
