import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CaptureOptions } from '../../core/heapsnapshot/capture.js';
import { UsageError } from '../../lib/errors.js';
import type { FlagSpec } from '../../lib/flags.js';
import { parseHostPort } from '../../lib/inspector/address.js';
import { parseDuration, parseInteger } from '../../lib/validate.js';

/** Raw strings from commander for `imdiag heap capture`. */
export interface RawHeapCaptureOptions {
  pid?: string;
  openInspector?: boolean;
  inspect?: string;
  out?: string;
  force?: boolean;
  allowRemote?: boolean;
  count?: string;
  every?: string;
}

/** `heap capture` as validated: where from, the files (one per --count) and the pause between them. */
export interface HeapCaptureOptions extends CaptureOptions {
  /** One file per snapshot: `out` itself for --count 1, else NAME.1.heapsnapshot, NAME.2… */
  outs: string[];
  everyMs: number;
}

export const CAPTURE_COUNT = { min: 1, max: 100, default: 1 };
export const CAPTURE_EVERY = { minMs: 0, maxMs: 24 * 3_600_000, default: '30s' };

/** Pure apart from looking at --out: raw flags → CaptureOptions, or a one-line UsageError. */
export function validateHeapCaptureOptions(raw: RawHeapCaptureOptions): HeapCaptureOptions {
  if ((raw.pid === undefined) === (raw.inspect === undefined)) {
    throw new UsageError('heap capture needs one of --pid N --open-inspector or --inspect HOST:PORT');
  }
  if (raw.pid !== undefined && !raw.openInspector) {
    throw new UsageError('--pid needs --open-inspector for a capture: the snapshot is taken through the inspector, which SIGUSR1 opens');
  }
  if (raw.openInspector && raw.pid === undefined) throw new UsageError("--open-inspector needs --pid: it opens that process's inspector");
  if (raw.out === undefined || raw.out.trim() === '') throw new UsageError('--out FILE is required: where the .heapsnapshot goes');
  const out = resolve(raw.out);
  const count = parseInteger('--count', raw.count ?? CAPTURE_COUNT.default, CAPTURE_COUNT.min, CAPTURE_COUNT.max);
  if (raw.every !== undefined && count === 1) throw new UsageError('--every needs --count 2 or more: it is the pause between snapshots');
  const everyMs = parseDuration('--every', raw.every ?? CAPTURE_EVERY.default, CAPTURE_EVERY.minMs, CAPTURE_EVERY.maxMs);
  const outs = count === 1 ? [out] : Array.from({ length: count }, (_, i) => numbered(out, i + 1));
  for (const file of outs) {
    if (existsSync(file)) throw new UsageError(`--out ${file === out ? raw.out : file} exists; imdiag never writes over a file: choose a new name`);
  }
  const directory = dirname(out);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`--out: the directory ${directory} does not exist`);
  const from: CaptureOptions['from'] =
    raw.inspect !== undefined
      ? { kind: 'inspector', address: parseHostPort('--inspect', raw.inspect, raw.allowRemote === true) }
      : { kind: 'pid', pid: parseInteger('--pid', raw.pid, 1, 4_194_304) };
  return { from, out, force: raw.force === true, outs, everyMs };
}

/** x.heapsnapshot → x.2.heapsnapshot (the number before the extension, or at the end without one). */
export function numbered(out: string, n: number): string {
  const match = /^(.*?)(\.heapsnapshot)?$/.exec(out)!;
  return `${match[1]}.${n}${match[2] ?? '.heapsnapshot'}`;
}

/** `imdiag heap capture`'s flags for cli.ts and --help (--json only: a capture's result is a file, not a report). */
export const HEAP_CAPTURE_FLAGS: FlagSpec[] = [
  { flags: '--pid <n>', description: 'the local Node process (with --open-inspector)' },
  { flags: '--open-inspector', description: "open the process's inspector with SIGUSR1 (checked to be a Node process first)" },
  { flags: '--inspect <host:port>', description: 'an inspector already open, e.g. 127.0.0.1:9229' },
  { flags: '--out <file>', description: 'the .heapsnapshot to write (never written over)' },
  {
    flags: '--count <n>',
    description: `snapshots to take, all in one inspector session so \`heap diff\` can match their objects (NAME.1.heapsnapshot, NAME.2…; ${CAPTURE_COUNT.min}–${CAPTURE_COUNT.max})`,
    default: CAPTURE_COUNT.default,
  },
  { flags: '--every <duration>', description: 'the pause between snapshots with --count', default: CAPTURE_EVERY.default },
  { flags: '--force', description: "take it even when the target's heap would not fit in free memory or disk" },
  { flags: '--allow-remote', description: 'allow an inspector on another machine (default: loopback only)' },
  { flags: '--json', description: 'print only the result object (JSON) on stdout' },
];
