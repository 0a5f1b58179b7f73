import { constants, performance, PerformanceObserver, type EventLoopUtilization, type PerformanceEntry } from 'node:perf_hooks';
import type { LoopRun } from '../../results/measure.js';
import { cpuMicros } from './cpu.js';
import { fillerDeductions, type FillerCost } from './filler-cost.js';
import { youngSpace } from './young-generation.js';
import { appliedDeductions, clip, overlap, overlapSum, phasesOf, phaseWindows, type Window } from './loop-phases.js';

/**
 * How long the event loop was blocked while one run ran, its CPU time, utilisation and GC, measured
 * inside the measuring child. A timer every LOOP_RESOLUTION_MS records the gap between two of its
 * turns: an idle loop gives the period; a synchronous stretch of B ms gives a gap of B up to B + one
 * period (the stretch can start anywhere between two turns), so a block is reported as gap − one
 * period, known to ± one period. Its window ([turn before, turn after]) is what GC entries and the
 * run's phase marks are matched against, so the block can be split into GC, hydration and the rest.
 * `npm run bench:query` measures it against whole-result runs.
 */

/** The loop timer's period. Each turn is a JS callback of well under a microsecond's work. */
export const LOOP_RESOLUTION_MS = 2;

/** The longest gap, and the CPU time (µs, user + system) the process spent in it. */
interface Gap extends Window {
  cpuMicros: number;
}

export class LoopMeter {
  private timer: NodeJS.Timeout | undefined;
  private lastTurn = 0;
  private lastTurnCpu = 0;
  private longest: Gap = { start: 0, end: 0, cpuMicros: 0 };
  private gc: Array<{ start: number; end: number; minor: boolean }> = [];
  private readonly observer: PerformanceObserver;
  private marks: Array<{ phase: string; at: number; cpuMicros: number }> = [];
  private runStart = 0;
  /** Set while endRun waits for the turn that sees the run's last block: no gap counts past it. */
  private runEnd: number | undefined;
  private youngBefore = 0;
  private cpu: NodeJS.CpuUsage | undefined;
  private elu: EventLoopUtilization | undefined;
  private waiters: Array<() => void> = [];
  private readonly resolutionMs: number;

  constructor(resolutionMs = LOOP_RESOLUTION_MS) {
    this.resolutionMs = resolutionMs;
    this.observer = new PerformanceObserver((list) => this.record(list.getEntries()));
  }

  start(): void {
    if (this.timer) return;
    this.observer.observe({ entryTypes: ['gc'] });
    this.lastTurn = performance.now();
    this.lastTurnCpu = cpuMicros();
    this.timer = setInterval(() => this.turn(), this.resolutionMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.observer.disconnect();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves after the loop timer's next turn: every block before this point has been seen. */
  nextTurn(): Promise<void> {
    if (!this.timer) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A run starts: after one turn (what came before, a forced GC, does not count), everything starts again from here. */
  async beginRun(): Promise<void> {
    await this.nextTurn();
    this.longest = { start: 0, end: 0, cpuMicros: 0 };
    this.gc = [];
    this.marks = [];
    this.runStart = performance.now();
    this.youngBefore = youngSpace().used;
    this.cpu = process.cpuUsage();
    this.elu = performance.eventLoopUtilization();
  }

  /**
   * The run enters a phase (e.g. 'read' when a query's toArray() is called, 'hydration' once it
   * resolved); it lasts until the next mark. The process's CPU is read at each mark: what each phase cost.
   */
  mark(phase: string): void {
    this.marks.push({ phase, at: performance.now(), cpuMicros: cpuMicros() });
  }

  /**
   * The run ended: waits for one turn (which sees the run's last block) and for the GC entries, then sums up. With
   * `filler` (the held young-generation filler the run started with), its copying at the run's first two scavenges is
   * taken out of the run's CPU and of the phase each fell in (filler-cost.ts), and kept in the longest block.
   */
  async endRun(filler?: { heldBytes: number; cost: FillerCost }): Promise<LoopRun> {
    const cpu = process.cpuUsage(this.cpu);
    const endCpuMicros = cpuMicros();
    const youngAfter = youngSpace().used;
    const elu = performance.eventLoopUtilization(this.elu);
    const runEnd = performance.now();
    this.runEnd = runEnd;
    await this.nextTurn();
    this.runEnd = undefined;
    // Node creates a 'gc' entry in an immediate after the collection, and the observer is told in another.
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    this.record(this.observer.takeRecords());
    const raw = this.longest.end - this.longest.start;
    const gcInRun = this.gc.filter((entry) => entry.end > this.runStart && entry.start < runEnd);
    const block = this.longest;
    const gcInBlock = overlapSum(gcInRun, block);
    const hydrating = phaseWindows(this.marks, runEnd).filter((window) => window.phase === 'hydration');
    const gcInPass = hydrating.reduce((sum, window) => sum + overlapSum(gcInRun, clip(window, block)), 0);
    const hydrationInBlock = hydrating.reduce((sum, window) => sum + overlap(window, block), 0) - gcInPass;
    const deductions = filler
      ? fillerDeductions(
          filler.cost,
          filler.heldBytes,
          gcInRun.filter((entry) => entry.minor).map((entry) => entry.start),
        )
      : [];
    const phases = this.marks.length > 0 ? phasesOf(this.marks, endCpuMicros, deductions, { gc: gcInRun, end: runEnd }) : null;
    const runCpuMs = (cpu.user + cpu.system) / 1000;
    const fillerMs = appliedDeductions(runCpuMs, this.marks, endCpuMicros, deductions);
    const blockedMs = Math.max(0, raw - this.resolutionMs);
    const hydrationMs = Math.min(blockedMs, Math.max(0, hydrationInBlock));
    const gcMs = Math.min(blockedMs - hydrationMs, gcInBlock);
    return {
      blockedMs: round(blockedMs),
      blockedRawMs: round(raw),
      blockedCpuMs: round(this.longest.cpuMicros / 1000),
      resolutionMs: this.resolutionMs,
      cpuMs: round(Math.max(0, runCpuMs - fillerMs)),
      ...(fillerMs > 0 && { fillerCpuMs: round(fillerMs) }),
      elu: Math.round(elu.utilization * 1000) / 1000,
      gcMs: round(overlapSum(gcInRun, { start: this.runStart, end: runEnd })),
      scavenges: gcInRun.filter((entry) => entry.minor).length,
      youngGrowthBytes: Math.max(0, youngAfter - this.youngBefore),
      split: {
        gcMs: round(gcMs),
        hydrationMs: round(hydrationMs),
        bsonMs: round(Math.max(0, blockedMs - hydrationMs - gcMs)),
        hydrationGcMs: round(Math.min(gcMs, gcInPass)),
      },
      ...(phases && { phases }),
    };
  }

  private turn(): void {
    const now = performance.now();
    // One getrusage a turn: the CPU the process had in the longest gap (a busy machine stretches a gap, not the CPU in it).
    const cpu = cpuMicros();
    // The turn after a run's end sees its last block, and whatever delayed the timer after it (a busy machine's OS, the
    // next run's forced GC): the run's block ends with the run.
    const end = this.runEnd === undefined ? now : Math.min(now, this.runEnd);
    if (end - this.lastTurn > this.longest.end - this.longest.start) this.longest = { start: this.lastTurn, end, cpuMicros: cpu - this.lastTurnCpu };
    this.lastTurn = now;
    this.lastTurnCpu = cpu;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private record(entries: readonly PerformanceEntry[]): void {
    // NODE_PERFORMANCE_GC_MINOR (perf_hooks.constants): a scavenge.
    for (const entry of entries)
      this.gc.push({
        start: entry.startTime,
        end: entry.startTime + entry.duration,
        minor: (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR,
      });
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
