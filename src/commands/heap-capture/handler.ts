import type { HeapCaptureResult } from '../../results/heap-capture.js';
import { captureSnapshot, type CaptureOptions } from '../../core/heapsnapshot/capture.js';
import { collectEnvironment } from '../../lib/environment.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';

/** `imdiag heap capture`: a snapshot of a live process streamed to --out; returns what was written. */
export async function heapCapture(options: CaptureOptions, ctx: RunContext): Promise<HeapCaptureResult> {
  let progress: ReturnType<RunContext['reporter']['progress']> | undefined;
  const capture = await captureSnapshot(options, {
    signal: ctx.signal,
    onProgress: (done, total) => {
      progress ??= ctx.reporter.progress('heap snapshot', total, 'objects');
      progress.update(done);
      if (done >= total) progress.done();
    },
  });
  return { ...baseResult('heap-capture', ctx, collectEnvironment()), out: options.out, capture };
}
