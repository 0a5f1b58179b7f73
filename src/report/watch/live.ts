import type { LiveSnapshot } from '../../results/watch.js';
import { duration, megabytes } from '../../lib/format.js';
import { seriesLabel, slope, timeToLimit } from './text.js';

/** The line `imdiag watch` redraws on stderr once a second: heap, trend, time to limit. */
export function renderLiveLine(snapshot: LiveSnapshot): string {
  const { analysis, last } = snapshot;
  const heap = analysis.series.find((item) => item.series === 'heap');
  const worst = analysis.series.find((item) => item.series === analysis.worstSeries);
  const parts = [`${duration(snapshot.elapsedMs / 1000)}/${duration(snapshot.durationMs / 1000)}`];
  if (last.heapUsed !== null) parts.push(`heap used ${megabytes(last.heapUsed)}${heap ? `, ${seriesLabel(heap)} ${slope(heap)}` : ''}`);
  if (last.rss !== null) parts.push(`rss ${megabytes(last.rss)}`);
  parts.push(analysis.verdict);
  if (worst && analysis.secondsToLimit !== null) parts.push(`${worst.series} limit in ${timeToLimit(analysis)}`);
  return parts.join('  ');
}

/** Redraws one line on a TTY stream; a no-op elsewhere (people to stderr, only when it is a terminal). */
export function liveWriter(stream: NodeJS.WriteStream): { update(snapshot: LiveSnapshot): void; done(): void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update(snapshot) {
      drawn = true;
      stream.write(`\r\x1b[2K${renderLiveLine(snapshot).slice(0, (stream.columns || 120) - 1)}`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
