import type { FloodSample } from '../../../results/flood.js';

/**
 * What the flood server child and its parent say to each other, over the one child protocol of
 * src/lib/child/protocol.ts (docs/architecture.md, house rule 5). A server that runs out of memory cannot send a final
 * message, so its samples stream to the parent as they are taken.
 *
 * config: ServerConfig
 * child → parent, stream: ready (once, listening) · sample (several times a second)
 * child → parent, final: result | error (once, last)
 * parent → child, control: start (load begins: counters and clock reset) · stop (close everything and report)
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

export type ServerStream = { type: 'ready'; port: number; pid: number; heapLimitBytes: number } | { type: 'sample'; sample: FloodSample };

export type ServerFinal = { type: 'result'; counters: ServerCounters } | { type: 'error'; message: string };

export type ParentMessage = { type: 'start' } | { type: 'stop' };
