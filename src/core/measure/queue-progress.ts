import { clock } from '../../lib/format.js';
import type { Reporter } from '../../lib/progress.js';
import type { MeasurePhase, MeasureProgress } from './context.js';

/**
 * The status line of a queue of measuring children (compare-unread's strategies, query's variants and
 * its --full replays): which entry, the run inside it (warm-up, run 2/3, probe 1/3, from the child's
 * progress lines: phase.ts), the time since the queue started and an estimate of what is left. One
 * line redrawn in place, on stderr when it is a TTY (Reporter.status); nothing anywhere else.
 */
export interface QueueProgress {
  /** The next entry of the queue starts (its child is about to be forked). */
  start(name: string): void;
  /** A progress line of the current entry's child: pass as runMeasuredChild's onProgress. */
  onProgress(progress: MeasureProgress): void;
  /** Work of the parent for the current entry after its child ended ("explain"). */
  phase(label: string): void;
  /** The queue is over, finished or stopped: the line goes. */
  end(): void;
}

/** Redraws per second: the elapsed time moves even while a child says nothing (a long synchronous stretch). */
const TICK_MS = 1000;

interface Current {
  name: string;
  startedAt: number;
  label: string;
  phase: MeasurePhase | undefined;
  phaseAt: number;
  /** Where the child's first run began, and its first run after the warm-up (QueueState.current.pace). */
  first?: Mark;
  afterWarmUp?: Mark;
}

/** A run of the child's plan and when it began, in seconds since its entry started. */
interface Mark {
  step: number;
  at: number;
}

export function queueProgress(reporter: Reporter, { title, total, now = seconds }: { title: string; total: number; now?: () => number }): QueueProgress {
  const status = reporter.status;
  if (!status) return { start: () => undefined, onProgress: () => undefined, phase: () => undefined, end: () => undefined };
  const startedAt = now();
  const finished: number[] = [];
  let index = 0;
  let current: Current | null = null;
  const draw = () => {
    if (!current) return;
    const at = now();
    const left = secondsLeft({
      finished,
      waiting: total - index,
      current: {
        elapsed: at - current.startedAt,
        phaseElapsed: at - current.phaseAt,
        ...(current.phase && { phase: current.phase }),
        ...((current.afterWarmUp ?? current.first) && { pace: paceMark(current) }),
      },
    });
    status(`${title} ${index}/${total} ${current.name}: ${current.label} · ${clock(at - startedAt)} elapsed · ${leftText(left)}`);
  };
  const timer = setInterval(draw, TICK_MS);
  timer.unref();
  return {
    start: (name) => {
      const at = now();
      if (current) finished.push(at - current.startedAt);
      index++;
      current = { name, startedAt: at, label: 'starting', phase: undefined, phaseAt: at };
      draw();
    },
    onProgress: (progress) => {
      const phase = progress.phase;
      if (!current || !phase || phase.label === current.phase?.label) return;
      const at = now();
      const mark = { step: phase.step, at: at - current.startedAt };
      current = { ...current, label: phase.label, phase, phaseAt: at };
      current.first ??= mark;
      if (phase.kind !== 'warm-up') current.afterWarmUp ??= mark;
      draw();
    },
    phase: (label) => {
      if (!current) return;
      // Parent-side work ends the child's plan: the estimate of this entry falls back on the finished ones.
      current = { ...current, label, phase: undefined, phaseAt: now() };
      draw();
    },
    end: () => {
      clearInterval(timer);
      current = null;
      status(null);
    },
  };
}

/**
 * The runs the pace is taken from: those after the warm-up once two of them have begun (the first
 * warm-up counts every reply with command monitoring on, and is slower), else from the first run.
 */
function paceMark({ first, afterWarmUp, phase }: Current): Mark {
  return afterWarmUp && phase && phase.step > afterWarmUp.step ? afterWarmUp : (first ?? afterWarmUp)!;
}

function seconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

function leftText(left: { low: number; high: number } | null): string {
  if (left === null) return 'time left: known after the first run';
  // Within a few seconds (or a tenth) of each other, one figure says it; otherwise the range.
  if (left.high - left.low <= Math.max(5, left.high / 10)) return `~${clock(left.high)} left`;
  return `~${clock(left.low)}–${clock(left.high)} left`;
}

export interface QueueState {
  /** Seconds each finished entry took, its child and the parent's work after it. */
  finished: number[];
  /** Entries not started yet. */
  waiting: number;
  /**
   * The entry under way: seconds since it started, its child's run, the seconds since that run began,
   * and the run the pace is measured from (its step, and when it began: seconds since the entry started).
   */
  current: { elapsed: number; phase?: MeasurePhase; phaseElapsed: number; pace?: { step: number; at: number } } | null;
}

/**
 * What is left of the queue, in seconds, as a range: the entry under way from the pace of its own runs
 * so far (once one has ended; the start of its child before them is not a run's time), each waiting entry as the shortest and the longest entry seen. Entries
 * differ (compare-unread's big strategies take ~40 s on demo, the others a few), so the range is wide
 * until the queue's spread is known. Null before anything has been timed.
 */
export function secondsLeft({ finished, waiting, current }: QueueState): { low: number; high: number } | null {
  let now: { low: number; high: number } = { low: 0, high: 0 };
  const known = [...finished];
  if (current) {
    const { elapsed, phase, phaseElapsed, pace } = current;
    if (phase && pace && phase.step > pace.step) {
      const perStep = (elapsed - phaseElapsed - pace.at) / (phase.step - pace.step);
      const rest = Math.max(0, perStep * (phase.steps - phase.step + 1) - phaseElapsed);
      now = { low: rest, high: rest };
      known.push(elapsed + rest);
    } else if (finished.length > 0) {
      now = { low: Math.max(0, Math.min(...finished) - elapsed), high: Math.max(0, Math.max(...finished) - elapsed) };
    } else return null;
  }
  if (waiting > 0 && known.length === 0) return null;
  const shortest = known.length > 0 ? Math.min(...known) : 0;
  const longest = known.length > 0 ? Math.max(...known) : 0;
  return { low: now.low + waiting * shortest, high: now.high + waiting * longest };
}
