import type { WebSocket } from 'ws';
import type { PushStrategy } from './types.js';

// How often a skipped monitor is checked for having drained; ws exposes no per-client drain event.
const DRAIN_CHECK_MS = 50;

/**
 * Push on every POST, but skip a monitor whose bufferedAmount is above --high-water; once it has
 * drained below, send it the latest chart (coalesced: the skipped ones are never sent).
 */
export const backpressure: PushStrategy = {
  name: 'backpressure',
  description: 'push on every POST, skip monitors above --high-water, send them the latest chart once drained',
  start(ctx) {
    const behind = new Set<WebSocket>();
    const timer = setInterval(() => {
      if (behind.size === 0) return;
      for (const monitor of behind) {
        if (monitor.readyState !== monitor.OPEN) behind.delete(monitor);
        else if (monitor.bufferedAmount <= ctx.highWaterBytes) {
          behind.delete(monitor);
          ctx.push(monitor, ctx.chart());
        }
      }
    }, DRAIN_CHECK_MS);
    return {
      onIngest() {
        let chart: string | undefined;
        for (const monitor of ctx.monitors()) {
          if (behind.has(monitor) || monitor.bufferedAmount > ctx.highWaterBytes) {
            behind.add(monitor);
            ctx.skip();
          } else {
            ctx.push(monitor, (chart ??= ctx.chart()));
          }
        }
      },
      stop() {
        clearInterval(timer);
        behind.clear();
      },
    };
  },
};
