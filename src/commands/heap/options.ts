import { parseConditions, type Condition, type ConditionVocabulary } from '../../lib/conditions.js';
import { SHOW_STRINGS_FLAG } from '../../lib/common-options.js';
import { UsageError } from '../../lib/errors.js';
import { rangeText, type FlagSpec } from '../../lib/flags.js';
import { parseInteger } from '../../lib/validate.js';

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

const TOP_FLAG: FlagSpec = {
  flags: '--top <n>',
  description: 'rows per table: classes, largest objects, duplicated strings',
  default: DEFAULT_TOP,
  allowed: rangeText({ min: 1, max: MAX_TOP }),
};

export const HEAP_FLAGS: FlagSpec[] = [
  TOP_FLAG,
  SHOW_STRINGS_FLAG,
  { flags: '--retainers', description: 'print the shortest path from a GC root to each of the largest objects' },
  { flags: '--strings', description: 'list the duplicated string values by total size and the share of the heap in strings' },
];

export const HEAP_DIFF_FLAGS: FlagSpec[] = [
  { ...TOP_FLAG, description: 'rows per table (leak groups; at least 20 classes)' },
  SHOW_STRINGS_FLAG,
  {
    flags: '--fail-on <conditions>',
    description:
      "exit 1 when any holds, e.g. 'growth>50MB' (retained growth of any class), 'total-growth>100MB', 'new-objects>10000', 'still-alive>0', 'not-comparable'",
  },
];

/** What `heap diff --fail-on` can test: retained growth of the most-grown class, of the whole heap, new objects. */
export const HEAP_DIFF_CONDITIONS: ConditionVocabulary = {
  figures: { growth: 'bytes', 'total-growth': 'bytes', 'new-objects': 'count', 'still-alive': 'count' },
  verdicts: ['not-comparable'],
};

export function validateHeapOptions(file: string | undefined, raw: RawHeapOptions | Record<string, unknown>): HeapOptions {
  raw = raw as RawHeapOptions;
  return { file: requireFile('heap', file), top: top(raw.top), retainers: raw.retainers === true, strings: raw.strings === true };
}

export function validateHeapDiffOptions(files: string[], raw: RawHeapDiffOptions | Record<string, unknown>): HeapDiffOptions {
  raw = raw as RawHeapDiffOptions;
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
