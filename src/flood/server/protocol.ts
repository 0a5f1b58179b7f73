import type { FloodSample } from '../result.js';

/**
 * The server child's protocol (STYLE.md §6, widened for one reason: a server that runs out of
 * memory cannot send a final message, so its samples stream to the parent as they are taken).
 *
 * parent → child argv[2]: ServerConfig as JSON
 * child → parent: ready (once, listening) · sample (several times a second) · result | error (once, last)
 * parent → child: start (load begins: counters and clock reset) · stop (close everything and report)
 */
export interface ServerConfig {
  strategy: string;
  intervalMs: number;
  highWaterBytes: number;
  windowMs: number;
  chartPoints: number;
  sampleEveryMs: number;
}

export interface ServerCounters {
  postsReceived: number;
  badPosts: number;
  pushesSent: number;
  pushBytes: number;
  pushesSkipped: number;
}

export type ChildMessage =
  | { type: 'ready'; port: number; pid: number; heapLimitBytes: number }
  | { type: 'sample'; sample: FloodSample }
  | { type: 'result'; counters: ServerCounters }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'start' } | { type: 'stop' };
