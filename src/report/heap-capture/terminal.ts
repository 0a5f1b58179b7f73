import type { HeapCaptureResult } from '../../results/heap-capture.js';
import { bytesHuman, duration } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';

/** `imdiag heap capture` on a terminal: where the snapshot went and how big it is. */
export function renderHeapCapture(result: HeapCaptureResult, style: Style): string {
  const { capture } = result;
  const lines = [
    `${style.bold('heap snapshot written')} to ${result.out}: ${bytesHuman(capture.bytesWritten)} in ${duration(capture.durationMs / 1000)} (${capture.chunks} chunks)`,
    `of node[${capture.pid}] via ${capture.via}; heap in use ${bytesHuman(capture.heapUsedBytes)}, ${bytesHuman(capture.memoryAvailableBytes)} memory available`,
    `next: npx imdiag heap ${result.out}`,
  ];
  if (capture.forced) lines.push(style.yellow('note: taken with --force although the estimate said it would not fit'));
  return `${lines.join('\n')}\n`;
}
