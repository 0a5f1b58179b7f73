import type { PushStrategy } from './types.js';

/** Spider's original: every POST triggers a push of the whole chart to every monitor. */
export const perMessage: PushStrategy = {
  name: 'per-message',
  description: "Spider's original: every POST pushes the chart to every monitor",
  start(ctx) {
    return {
      onIngest() {
        const chart = ctx.chart();
        for (const monitor of ctx.monitors()) ctx.push(monitor, chart);
      },
      stop() {},
    };
  },
};
