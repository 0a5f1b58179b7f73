import type { HeapCaptureResult } from '../../results/heap-capture.js';
import { captureSnapshot, type CaptureFacts, type CaptureOptions } from '../../core/heapsnapshot/capture.js';
import { pauseLowerBoundMs } from '../../core/heapsnapshot/pause.js';
import { collectEnvironment } from '../../lib/environment.js';
import { bytesHuman, duration } from '../../lib/format.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';

/** `imdiag heap capture`: a snapshot of a live process streamed to --out; returns what was written. */
export async function heapCapture(options: CaptureOptions, ctx: RunContext): Promise<HeapCaptureResult> {
  let progress: ReturnType<RunContext['reporter']['progress']> | undefined;
  const capture = await captureSnapshot(options, {
    signal: ctx.signal,
    onStart: (facts) => ctx.reporter.aside?.(pauseNotice(facts)),
    onProgress: (done, total) => {
      // V8's own count (HeapProfiler.reportHeapSnapshotProgress); writing the file follows the last one.
      progress ??= ctx.reporter.progress('V8 building the snapshot, target paused:', total, 'objects');
      progress.update(done);
      if (done >= total) {
        progress.done();
        ctx.reporter.aside?.('V8 is writing the snapshot; the target stays paused until the last chunk');
      }
    },
  });
  return { ...baseResult('heap-capture', ctx, collectEnvironment()), out: options.out, capture };
}

/** Said before the snapshot starts: the pause at least, and that it cannot be stopped once begun. */
export function pauseNotice(facts: CaptureFacts): string {
  return [
    `node[${facts.pid}] stops while V8 builds and writes the snapshot: at least ${duration(pauseLowerBoundMs(facts.heapUsedBytes) / 1000)} for its ${bytesHuman(facts.heapUsedBytes)} heap`,
    `(a lower bound from the size alone; many functions, e.g. one large bundled script, can make it many times longer).`,
    `A started snapshot cannot be cancelled: Ctrl-C stops imdiag, not V8; the process stays paused until V8 is done.`,
  ].join('\n');
}
