/**
 * A fixed-rate schedule: send i is due at start + i / rate, computed from the start time, never
 * from the previous send, so a slow server or a stalled event loop does not slow the load down
 * (no coordinated omission); what is overdue is handed out at once and counted as late.
 */
export interface DueSend {
  index: number;
  /** When it was due, on the clock the schedule was given. */
  dueAt: number;
}

export class FixedRateSchedule {
  private next = 0;
  private readonly startAt: number;
  private readonly periodMs: number;
  private readonly endAt: number;

  constructor(options: { rate: number; startAt: number; durationMs: number }) {
    this.startAt = options.startAt;
    this.periodMs = 1000 / options.rate;
    this.endAt = options.startAt + options.durationMs;
  }

  /** Sends due before the end of the run. */
  get total(): number {
    return Math.ceil((this.endAt - this.startAt) / this.periodMs - 1e-9);
  }

  /** Sends handed out so far. */
  get handedOut(): number {
    return this.next;
  }

  /** Every send due at or before `now` that has not been handed out yet, in order. */
  due(now: number): DueSend[] {
    const until = Math.min(this.total, Math.floor((Math.min(now, this.endAt) - this.startAt) / this.periodMs) + 1);
    const sends: DueSend[] = [];
    for (; this.next < until; this.next += 1) sends.push({ index: this.next, dueAt: this.startAt + this.next * this.periodMs });
    return sends;
  }

  /** Milliseconds from `now` until the next send is due (0 when one is overdue, Infinity when done). */
  waitMs(now: number): number {
    if (this.next >= this.total) return Infinity;
    return Math.max(0, this.startAt + this.next * this.periodMs - now);
  }
}
