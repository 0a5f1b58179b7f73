import type { CommandName } from '../lib/result.js';
import type { CompareUnreadResult } from './compare-unread.js';
import type { DoctorResult } from './doctor.js';
import type { FloodTargetResult } from './flood-target.js';
import type { FloodResult } from './flood.js';
import type { HeapCaptureResult } from './heap-capture.js';
import type { HeapDiffResult, HeapResult } from './heap.js';
import type { HeapRedactResult } from './heap-redact.js';
import type { LeakResult } from './leak.js';
import type { QueryResult } from './query.js';
import type { SeedResult } from './seed.js';
import type { WatchResult } from './watch.js';

/**
 * Every command's result, told apart by `command`: the one list of result types. The saved-result
 * loader, the report renderers and the fixture tests look a command's type up here.
 */
export type AnyResult =
  | SeedResult
  | CompareUnreadResult
  | FloodResult
  | FloodTargetResult
  | WatchResult
  | HeapResult
  | HeapDiffResult
  | HeapCaptureResult
  | HeapRedactResult
  | QueryResult
  | DoctorResult
  | LeakResult;

/** The result type of one command: `ResultOf<'seed'>` is SeedResult. */
export type ResultOf<C extends CommandName> = Extract<AnyResult, { command: C }>;

type True<T extends true> = T;

/** Compiles only while every CommandName has its result type in AnyResult. */
export type EveryCommandHasAResult = True<{ [C in CommandName]: [ResultOf<C>] extends [never] ? false : true }[CommandName]>;
