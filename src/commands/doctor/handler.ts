import { existsSync, statSync } from 'node:fs';
import { diagnose } from '../../engines/doctor/doctor.js';
import { collectEnvironment } from '../../lib/environment.js';
import { UsageError } from '../../lib/errors.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';
import type { DoctorResult } from '../../results/doctor.js';
import type { DoctorOptions } from './options.js';
import { namingFlags } from '../common/input-errors.js';

/** `imdiag doctor FILE|-`: what a crash log or a diagnostic report says, each conclusion with its evidence. */
export async function doctor(options: DoctorOptions, context: RunContext): Promise<DoctorResult> {
  if (options.snapshot !== null && !(existsSync(options.snapshot) && statSync(options.snapshot).isFile())) {
    throw new UsageError(`--snapshot ${options.snapshot}: no such file; pass the .heapsnapshot Node wrote (--heapsnapshot-near-heap-limit)`);
  }
  const figures = await namingFlags(() =>
    diagnose(options, (label, bytes) => context.reporter.progress(label, Math.ceil(bytes / 2 ** 20), 'MB'), context.signal),
  );
  return {
    ...baseResult('doctor', context, collectEnvironment()),
    options: { input: options.input, snapshot: options.snapshot, analyseSnapshot: options.analyseSnapshot, showSecrets: options.showSecrets },
    ...figures,
  };
}
