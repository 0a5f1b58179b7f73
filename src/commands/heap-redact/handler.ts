import { redactSnapshot } from '../../core/heapsnapshot/redact.js';
import { collectEnvironment } from '../../lib/environment.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';
import type { HeapRedactResult } from '../../results/heap-redact.js';
import type { HeapRedactOptions } from './options.js';

/** `imdiag heap redact IN OUT`: a copy of the snapshot that can leave the machine. */
export async function heapRedact(options: HeapRedactOptions, context: RunContext): Promise<HeapRedactResult> {
  const redaction = await redactSnapshot(options.input, options.out, {
    signal: context.signal,
    startProgress: (pass, bytes) => context.reporter.progress(`${pass} ${options.input}`, Math.ceil(bytes / 2 ** 20), 'MB'),
  });
  return { ...baseResult('heap-redact', context, collectEnvironment()), in: options.input, out: options.out, redaction };
}
