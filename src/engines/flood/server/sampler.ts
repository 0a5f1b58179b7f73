import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FloodSample } from '../../../results/flood.js';
import type { FloodServer } from './app.js';

/**
 * A full collection before one sample in every FULL_GC_EVERY_MS, so that live memory can be told
 * from garbage waiting for the next major GC (forced collections free garbage only: strings
 * queued on a slow socket stay). Costs a few ms per collection on a small heap.
 */
export const FULL_GC_EVERY_MS = 500;
/**
 * …and no more often than this many times its own duration, so forced collections take at most
 * ~5 % of the server's time even when a growing heap makes each one slow (hundreds of ms at GBs).
 */
const FULL_GC_SPACING = 20;

/** Takes a FloodSample every `everyMs` from inside the server, relative to `startedAt`. */
export function startSampler(server: FloodServer, everyMs: number, onSample: (sample: FloodSample) => void): { stop(): void; restart(): void } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let startedAt = performance.now();
  let lastGcAt = -Infinity;
  let gcSpacingMs = FULL_GC_EVERY_MS;
  // Present when the child runs with --expose-gc.
  const gc = (globalThis as { gc?: () => void }).gc;
  const take = () => {
    const now = performance.now();
    const afterFullGc = gc !== undefined && now - lastGcAt >= gcSpacingMs;
    if (afterFullGc) {
      gc();
      lastGcAt = performance.now();
      gcSpacingMs = Math.max(FULL_GC_EVERY_MS, FULL_GC_SPACING * (lastGcAt - now));
    }
    const memory = process.memoryUsage();
    let bufferedSumBytes = 0;
    let bufferedMaxBytes = 0;
    let monitors = 0;
    for (const monitor of server.monitors()) {
      const buffered = monitor.bufferedAmount;
      bufferedSumBytes += buffered;
      bufferedMaxBytes = Math.max(bufferedMaxBytes, buffered);
      monitors += 1;
    }
    const { counters } = server;
    onSample({
      tMs: Math.round(performance.now() - startedAt),
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      rssBytes: memory.rss,
      externalBytes: memory.external,
      arrayBuffersBytes: memory.arrayBuffers,
      bufferedSumBytes,
      bufferedMaxBytes,
      monitors,
      postsReceived: counters.postsReceived,
      pushesSent: counters.pushesSent,
      pushBytes: counters.pushBytes,
      pushesSkipped: counters.pushesSkipped,
      // The histogram is in nanoseconds; NaN before the first recorded delay.
      eventLoopDelayMeanMs: Number.isFinite(delay.mean) ? delay.mean / 1e6 : 0,
      eventLoopDelayMaxMs: delay.max / 1e6,
      afterFullGc,
    });
    delay.reset();
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    restart() {
      clearInterval(timer);
      startedAt = performance.now();
      delay.reset();
      take();
      timer = setInterval(take, everyMs);
    },
    stop() {
      clearInterval(timer);
      take();
      delay.disable();
    },
  };
}
