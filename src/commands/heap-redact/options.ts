import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../lib/errors.js';
import type { FlagSpec } from '../../lib/flags.js';

export interface HeapRedactOptions {
  /** The snapshot to read, as given. */
  input: string;
  /** Absolute path of the copy; must not exist. */
  out: string;
}

/** Pure apart from looking at the two paths: `imdiag heap redact IN OUT` → options, or a one-line UsageError. */
export function validateHeapRedactOptions(files: string[]): HeapRedactOptions {
  if (files.length !== 2) throw new UsageError(`heap redact takes 2 paths (IN.heapsnapshot OUT.heapsnapshot), got ${files.length}`);
  const [input, outArg] = files as [string, string];
  if (!existsSync(input)) throw new UsageError(`heap redact: ${input}: no such file`);
  if (!statSync(input).isFile()) throw new UsageError(`heap redact: ${input} is not a file; pass a .heapsnapshot file`);
  const out = resolve(outArg);
  if (out === resolve(input)) throw new UsageError('heap redact: OUT must be a new file, not IN');
  if (existsSync(out)) throw new UsageError(`heap redact: ${outArg} exists; imdiag never writes over a file: choose a new name`);
  const directory = dirname(out);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`heap redact: the directory ${directory} does not exist`);
  return { input, out };
}

/** `imdiag heap redact`'s flags (--json only: the copy is the output, there is no report). */
export const HEAP_REDACT_FLAGS: FlagSpec[] = [{ flags: '--json', description: 'print only the result object (JSON) on stdout' }];
