import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CaptureOptions } from '../../core/heapsnapshot/capture.js';
import { UsageError } from '../../lib/errors.js';
import type { FlagSpec } from '../../lib/flags.js';
import { parseHostPort } from '../../lib/inspector/address.js';
import { parseInteger } from '../../lib/validate.js';

/** Raw strings from commander for `imdiag heap capture`. */
export interface RawHeapCaptureOptions {
  pid?: string;
  openInspector?: boolean;
  inspect?: string;
  out?: string;
  force?: boolean;
  allowRemote?: boolean;
}

/** Pure apart from looking at --out: raw flags → CaptureOptions, or a one-line UsageError. */
export function validateHeapCaptureOptions(raw: RawHeapCaptureOptions): CaptureOptions {
  if ((raw.pid === undefined) === (raw.inspect === undefined)) {
    throw new UsageError('heap capture needs one of --pid N --open-inspector or --inspect HOST:PORT');
  }
  if (raw.pid !== undefined && !raw.openInspector) {
    throw new UsageError('--pid needs --open-inspector for a capture: the snapshot is taken through the inspector, which SIGUSR1 opens');
  }
  if (raw.openInspector && raw.pid === undefined) throw new UsageError("--open-inspector needs --pid: it opens that process's inspector");
  if (raw.out === undefined || raw.out.trim() === '') throw new UsageError('--out FILE is required: where the .heapsnapshot goes');
  const out = resolve(raw.out);
  if (existsSync(out)) throw new UsageError(`--out ${raw.out} exists; imdiag never writes over a file: choose a new name`);
  const directory = dirname(out);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`--out: the directory ${directory} does not exist`);
  const from: CaptureOptions['from'] =
    raw.inspect !== undefined
      ? { kind: 'inspector', address: parseHostPort('--inspect', raw.inspect, raw.allowRemote === true) }
      : { kind: 'pid', pid: parseInteger('--pid', raw.pid, 1, 4_194_304) };
  return { from, out, force: raw.force === true };
}

/** `imdiag heap capture`'s flags for cli.ts and --help (--json only: a capture's result is a file, not a report). */
export const HEAP_CAPTURE_FLAGS: FlagSpec[] = [
  { flags: '--pid <n>', description: 'the local Node process (with --open-inspector)' },
  { flags: '--open-inspector', description: "open the process's inspector with SIGUSR1 (checked to be a Node process first)" },
  { flags: '--inspect <host:port>', description: 'an inspector already open, e.g. 127.0.0.1:9229' },
  { flags: '--out <file>', description: 'the .heapsnapshot to write (never written over)' },
  { flags: '--force', description: "take it even when the target's heap would not fit in free memory or disk" },
  { flags: '--allow-remote', description: 'allow an inspector on another machine (default: loopback only)' },
  { flags: '--json', description: 'print only the result object (JSON) on stdout' },
];
