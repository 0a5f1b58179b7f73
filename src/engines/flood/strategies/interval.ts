import type { PushStrategy } from './types.js';

/** Spider's fix: push the chart every --interval (5 s in the post-mortem), whatever arrives meanwhile. */
export const interval: PushStrategy = {
  name: 'interval',
  description: "Spider's fix: push the chart to every monitor every --interval",
  start(ctx) {
    let dirty = false;
    const timer = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      const chart = ctx.chart();
      for (const monitor of ctx.monitors()) ctx.push(monitor, chart);
    }, ctx.intervalMs);
    return {
      onIngest() {
        dirty = true;
      },
      stop() {
        clearInterval(timer);
      },
    };
  },
};
