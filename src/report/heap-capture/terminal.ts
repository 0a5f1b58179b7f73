import type { HeapCaptureResult } from '../../results/heap-capture.js';
import { bytesHuman, duration } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';

/** `imdiag heap capture` on a terminal: where the snapshot went and how big it is. */
export function renderHeapCapture(result: HeapCaptureResult, style: Style): string {
  const { capture } = result;
  if (result.series.length > 1) {
    const lines = result.series.map(
      ({ out, capture: one }, i) =>
        `${style.bold(`heap snapshot ${i + 1}`)} written to ${out}: ${bytesHuman(one.bytesWritten)} in ${duration(one.durationMs / 1000)}`,
    );
    lines.push(`of node[${capture.pid}] via ${capture.via}, all in one inspector session (object ids comparable)`);
    lines.push(`next: npx imdiag heap diff ${result.series.map((s) => s.out).join(' ')}`);
    return `${lines.join('\n')}\n`;
  }
  const lines = [
    `${style.bold('heap snapshot written')} to ${result.out}: ${bytesHuman(capture.bytesWritten)} in ${duration(capture.durationMs / 1000)} (${capture.chunks} chunks)`,
    `of node[${capture.pid}] via ${capture.via}; heap in use ${bytesHuman(capture.heapUsedBytes)}, ${bytesHuman(capture.memoryAvailableBytes)} memory available`,
    `next: npx imdiag heap ${result.out}`,
  ];
  if (capture.forced) lines.push(style.yellow('note: taken with --force although the estimate said it would not fit'));
  return `${lines.join('\n')}\n`;
}
