import { parseConditions, type Condition, type ConditionVocabulary } from '../lib/conditions.js';
import { UsageError } from '../lib/errors.js';
import { parseInteger } from '../lib/validate.js';

/** Raw strings from commander for `imdiag heap FILE`. */
export interface RawHeapOptions {
  top?: string;
  retainers?: boolean;
  strings?: boolean;
}

export interface HeapOptions {
  file: string;
  top: number;
  retainers: boolean;
  strings: boolean;
}

/** Raw strings from commander for `imdiag heap diff A B [C]`. */
export interface RawHeapDiffOptions {
  top?: string;
  failOn?: string;
}

export interface HeapDiffOptions {
  files: string[];
  top: number;
  failOn: Condition[];
}

export const DEFAULT_TOP = 10;
export const MAX_TOP = 1000;

/** What `heap diff --fail-on` can test: retained growth of the most-grown class, of the whole heap, new objects. */
export const HEAP_DIFF_CONDITIONS: ConditionVocabulary = {
  figures: { growth: 'bytes', 'total-growth': 'bytes', 'new-objects': 'count', 'still-alive': 'count' },
  verdicts: ['not-comparable'],
};

export function validateHeapOptions(file: string | undefined, raw: RawHeapOptions): HeapOptions {
  return { file: requireFile('heap', file), top: top(raw.top), retainers: raw.retainers === true, strings: raw.strings === true };
}

export function validateHeapDiffOptions(files: string[], raw: RawHeapDiffOptions): HeapDiffOptions {
  if (files.length < 2 || files.length > 3) {
    throw new UsageError(`heap diff takes 2 or 3 snapshots (before after [later]), got ${files.length}`);
  }
  files.forEach((file) => requireFile('heap diff', file));
  return { files, top: top(raw.top), failOn: raw.failOn === undefined ? [] : parseConditions('--fail-on', raw.failOn, HEAP_DIFF_CONDITIONS) };
}

function top(raw: string | undefined): number {
  return raw === undefined ? DEFAULT_TOP : parseInteger('--top', raw, 1, MAX_TOP);
}

function requireFile(command: string, file: string | undefined): string {
  if (file === undefined || file.trim() === '') throw new UsageError(`${command} needs a .heapsnapshot file: imdiag ${command} FILE.heapsnapshot`);
  return file;
}
