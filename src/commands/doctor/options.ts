import { UsageError } from '../../lib/errors.js';
import type { FlagSpec } from '../../lib/flags.js';

/** Raw values from commander for `imdiag doctor FILE|-`. */
export interface RawDoctorOptions {
  /** commander keeps one property for --snapshot <file> and --no-snapshot: false means --no-snapshot. */
  snapshot?: string | boolean;
  showSecrets?: boolean;
}

export interface DoctorOptions {
  input: string;
  snapshot: string | null;
  analyseSnapshot: boolean;
  showSecrets: boolean;
}

export const DOCTOR_FLAGS: FlagSpec[] = [
  {
    flags: '--snapshot <file>',
    description: 'a --heapsnapshot-near-heap-limit snapshot to read with the log (default: the one the log names, when it is there)',
  },
  { flags: '--no-snapshot', description: 'do not read a snapshot the log names (it can take a while: about a second per 50 MB)' },
  {
    flags: '--show-secrets',
    description: 'quote recorded command lines and frame arguments (heap strings) in full; environment variables are never copied',
  },
];

export function validateDoctorOptions(input: string | undefined, raw: RawDoctorOptions | Record<string, unknown>): DoctorOptions {
  const options = raw as RawDoctorOptions;
  if (input === undefined || input.trim() === '') {
    throw new UsageError('doctor needs the crash log or report: imdiag doctor FILE, or - to read stdin (kubectl logs POD --previous | imdiag doctor -)');
  }
  const snapshot = typeof options.snapshot === 'string' ? options.snapshot : null;
  if (snapshot !== null && snapshot.trim() === '') throw new UsageError('--snapshot needs a .heapsnapshot file');
  const analyseSnapshot = options.snapshot !== false;
  return { input, snapshot, analyseSnapshot, showSecrets: options.showSecrets === true };
}
