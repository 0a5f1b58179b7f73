import type { HeapCaptureResult } from '../../results/heap-capture.js';
import { captureSnapshot, type CaptureFacts } from '../../core/heapsnapshot/capture.js';
import { captureSeries } from '../../core/heapsnapshot/capture-session.js';
import { pauseLowerBoundMs } from '../../core/heapsnapshot/pause.js';
import { CheckError } from '../../lib/errors.js';
import { collectEnvironment } from '../../lib/environment.js';
import { bytesHuman, duration } from '../../lib/format.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';
import { stopCause } from '../../lib/stop.js';
import type { HeapCaptureOptions } from './options.js';

/** `imdiag heap capture`: a snapshot (or --count of them, one session) of a live process streamed to files; returns what was written. */
export async function heapCapture(options: HeapCaptureOptions, ctx: RunContext): Promise<HeapCaptureResult> {
  let progress: ReturnType<RunContext['reporter']['progress']> | undefined;
  const onProgress = (label: string, done: number, total: number) => {
    // V8's own count (HeapProfiler.reportHeapSnapshotProgress); writing the file follows the last one.
    progress ??= ctx.reporter.progress(label, total, 'objects');
    progress.update(done);
    if (done >= total) {
      progress.done();
      progress = undefined;
      ctx.reporter.aside?.('V8 is writing the snapshot; the target stays paused until the last chunk');
    }
  };
  if (options.outs.length === 1) {
    const capture = await captureSnapshot(options, {
      signal: ctx.signal,
      onStart: (facts) => ctx.reporter.aside?.(pauseNotice(facts)),
      onProgress: (done, total) => onProgress('V8 building the snapshot, target paused:', done, total),
    });
    return { ...baseResult('heap-capture', ctx, collectEnvironment()), out: options.out, capture, series: [{ out: options.out, capture }] };
  }
  const runs = await captureSeries(
    { from: options.from, outs: options.outs, everyMs: options.everyMs, force: options.force },
    {
      signal: ctx.signal,
      onProgress: (index, done, total) => onProgress(`V8 building snapshot ${index + 1}/${options.outs.length}, target paused:`, done, total),
    },
  );
  const series = runs.map((capture, i) => ({ out: options.outs[i]!, capture }));
  if (ctx.signal.aborted) {
    throw new CheckError(
      `stopped (${stopCause(ctx.signal)}) after ${series.length} of ${options.outs.length} snapshots${series.length > 0 ? `: ${series.map((s) => s.out).join(', ')} written` : ''}`,
    );
  }
  return { ...baseResult('heap-capture', ctx, collectEnvironment()), out: series[0]!.out, capture: series[0]!.capture, series };
}

/** Said before the snapshot starts: the pause at least, and that it cannot be stopped once begun. */
export function pauseNotice(facts: CaptureFacts): string {
  return [
    `node[${facts.pid}] stops while V8 builds and writes the snapshot: at least ${duration(pauseLowerBoundMs(facts.heapUsedBytes) / 1000)} for its ${bytesHuman(facts.heapUsedBytes)} heap`,
    `(a lower bound from the size alone; many functions, e.g. one large bundled script, can make it many times longer).`,
    `A started snapshot cannot be cancelled: Ctrl-C stops imdiag, not V8; the process stays paused until V8 is done.`,
  ].join('\n');
}
