import type { Environment } from './environment.js';
import { IMDIAG_VERSION } from './version.js';

/**
 * Every command's result object starts with these fields; `--json` prints it, `--report x.json`
 * saves it, and `imdiag report` renders it again. Bump SCHEMA_VERSION on a breaking change.
 */
export const SCHEMA_VERSION = 1;

export type CommandName =
  'seed' | 'compare-unread' | 'flood' | 'heap' | 'heap-diff' | 'watch' | 'heap-capture' | 'heap-redact' | 'flood-target' | 'query' | 'doctor' | 'leak';

export interface BaseResult<C extends CommandName = CommandName> {
  schemaVersion: typeof SCHEMA_VERSION;
  command: C;
  imdiagVersion: string;
  startedAt: string;
  finishedAt: string;
  /** The command line that reproduces the run (credentials redacted). */
  argv: string[];
  environment: Environment;
  /** Failed checks. Non-empty means exit code 1 after the result is printed. */
  problems: string[];
}

export function baseResult<C extends CommandName>(
  command: C,
  context: { argv: string[]; startedAt: Date },
  environment: Environment,
  problems: string[] = [],
): BaseResult<C> {
  return {
    schemaVersion: SCHEMA_VERSION,
    command,
    imdiagVersion: IMDIAG_VERSION,
    startedAt: context.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    argv: context.argv,
    environment,
    problems,
  };
}

/** One --fail-on condition judged against a run's figures: part of every result that takes --fail-on. */
export interface ConditionOutcome {
  readonly condition: string;
  readonly held: boolean;
  /** One line: the figure measured beside the threshold, or why it could not be judged. */
  readonly detail: string;
}
