import type { WebSocket } from 'ws';

/** What a push strategy gets from the server: its monitors, the current chart and a counted send. */
export interface PushContext {
  /** Monitors whose connection is open. */
  monitors(): Iterable<WebSocket>;
  /** The chart data of the recent window as one JSON string (see RecentWindow.chart). */
  chart(): string;
  /** ws.send, counted as a push. */
  push(monitor: WebSocket, message: string): void;
  /** Counts a push a strategy chose not to make. */
  skip(): void;
  intervalMs: number;
  highWaterBytes: number;
}

export interface PushHandle {
  /** Called after every POST has been stored. */
  onIngest(): void;
  /** Timers cleared, nothing sent afterwards. */
  stop(): void;
}

/** One push strategy (docs/architecture.md, house rule 6): adding one is adding a file and a line in index.ts. */
export interface PushStrategy {
  name: string;
  description: string;
  start(ctx: PushContext): PushHandle;
}
