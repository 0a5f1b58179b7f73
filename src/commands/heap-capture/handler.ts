import type { HeapCaptureResult } from '../../results/heap-capture.js';
import { captureSnapshot } from '../../core/heapsnapshot/capture.js';
import { captureSeries } from '../../core/heapsnapshot/capture-session.js';
import { CheckError } from '../../lib/errors.js';
import { collectEnvironment } from '../../lib/environment.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';
import type { HeapCaptureOptions } from './options.js';

/** `imdiag heap capture`: a snapshot (or --count of them, one session) of a live process streamed to files; returns what was written. */
export async function heapCapture(options: HeapCaptureOptions, ctx: RunContext): Promise<HeapCaptureResult> {
  let progress: ReturnType<RunContext['reporter']['progress']> | undefined;
  const onProgress = (label: string, done: number, total: number) => {
    progress ??= ctx.reporter.progress(label, total, 'objects');
    progress.update(done);
    if (done >= total) {
      progress.done();
      progress = undefined;
    }
  };
  if (options.outs.length === 1) {
    const capture = await captureSnapshot(options, { signal: ctx.signal, onProgress: (done, total) => onProgress('heap snapshot', done, total) });
    return { ...baseResult('heap-capture', ctx, collectEnvironment()), out: options.out, capture, series: [{ out: options.out, capture }] };
  }
  const runs = await captureSeries(
    { from: options.from, outs: options.outs, everyMs: options.everyMs, force: options.force },
    { signal: ctx.signal, onProgress: (index, done, total) => onProgress(`heap snapshot ${index + 1}/${options.outs.length}`, done, total) },
  );
  const series = runs.map((capture, i) => ({ out: options.outs[i]!, capture }));
  if (ctx.signal.aborted) {
    throw new CheckError(
      `stopped (Ctrl-C) after ${series.length} of ${options.outs.length} snapshots${series.length > 0 ? `: ${series.map((s) => s.out).join(', ')} written` : ''}`,
    );
  }
  return { ...baseResult('heap-capture', ctx, collectEnvironment()), out: series[0]!.out, capture: series[0]!.capture, series };
}
