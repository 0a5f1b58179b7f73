import { getHeapStatistics } from 'node:v8';
import { writeProgress } from '../../lib/child/in-child.js';
import type { MeasurePhase, MeasureProgress, Probe } from './context.js';
import { youngSpace } from './young-generation.js';

/** Heap sampler period in the child (compare-unread); `npm run bench:unread` measures what it costs. */
export const SAMPLER_INTERVAL_MS = 2;
/** Batch-boundary sampling: one heap reading per this many documents. */
const DOCS_PER_SAMPLE = 256;
/** Progress lines for the parent: at most this often. */
const PROGRESS_EVERY_MS = 50;

/**
 * Catches the heap's peak during a strategy run. Two sources: a timer every `intervalMs`
 * (it fires between batches, while the driver awaits the server) and the strategy's probe at
 * document / await boundaries (it fires during long synchronous stretches the timer cannot
 * interrupt). Each reading is one v8.getHeapStatistics() call; `npm run bench:unread` compares
 * the same strategy with the timer on and off. A negative interval turns every sample off (no
 * peak is then known): the benchmark's baseline for what sampling costs.
 */
export class HeapSampler implements Probe {
  peakBytes = 0;
  samples = 0;
  docsSeen = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastProgressAt = 0;
  private phase: MeasurePhase | undefined;
  /** Filler the run started with (settle.ts, halfFillYoung), left out of readings (garbage: until a collection frees it). */
  private fillerGarbage = 0;
  private fillerHeld = 0;
  private lastYoung = 0;

  private readonly intervalMs: number;
  private readonly writeProgress: (line: string) => void;

  constructor(intervalMs: number, writeProgress: (line: string) => void = (line) => process.stderr.write(line)) {
    this.intervalMs = intervalMs;
    this.writeProgress = writeProgress;
  }

  start(): void {
    if (this.intervalMs > 0 && !this.timer) this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Starts a new run: the peak and document count start again from here. The young generation's
   * filler (settle.ts, halfFillYoung) is not the run's: readings leave it out — its held share for
   * the whole run, its garbage until the young generation first empties (the scavenge that frees it).
   */
  reset(filler?: { bytes: number; heldBytes: number }): void {
    this.peakBytes = 0;
    this.docsSeen = 0;
    this.fillerHeld = filler?.heldBytes ?? 0;
    this.fillerGarbage = filler ? filler.bytes - this.fillerHeld : 0;
    this.lastYoung = this.fillerGarbage > 0 ? youngSpace().used : 0;
    this.sample();
  }

  /** A new run of the plan begins: said to the parent at once (its status line), whatever the sampling. */
  enter(phase: MeasurePhase): void {
    this.phase = phase;
    this.lastProgressAt = Date.now();
    writeProgress(this.progress(getHeapStatistics().used_heap_size), this.writeProgress);
  }

  docs(count: number): void {
    if (this.intervalMs < 0) {
      this.docsSeen += count;
      return;
    }
    const before = this.docsSeen;
    this.docsSeen += count;
    if (count > 1 || Math.floor(before / DOCS_PER_SAMPLE) !== Math.floor(this.docsSeen / DOCS_PER_SAMPLE)) this.sample();
  }

  sample(): void {
    if (this.intervalMs < 0) return;
    const heapUsed = getHeapStatistics().used_heap_size;
    // The scavenge that frees the garbage empties the young generation down to its survivors: read there,
    // not in the heap's net change, which a run allocating faster than it is sampled keeps rising.
    if (this.fillerGarbage > 0) {
      const young = youngSpace().used;
      if (young < this.lastYoung - this.fillerGarbage / 2) this.fillerGarbage = 0;
      this.lastYoung = young;
    }
    const used = heapUsed - this.fillerHeld - this.fillerGarbage;
    this.samples++;
    if (used > this.peakBytes) this.peakBytes = used;
    const now = Date.now();
    if (now - this.lastProgressAt >= PROGRESS_EVERY_MS) {
      this.lastProgressAt = now;
      writeProgress(this.progress(used), this.writeProgress);
    }
  }

  private progress(heapUsedBytes: number): MeasureProgress {
    return { docs: this.docsSeen, heapUsedBytes, ...(this.phase && { phase: this.phase }) };
  }
}
