import type { Environment } from './environment.js';
import { IMDIAG_VERSION } from './version.js';

/**
 * Every command's result object starts with these fields; `--json` prints it, `--report x.json`
 * saves it, and `imdiag report` renders it again. Bump SCHEMA_VERSION on a breaking change.
 */
export const SCHEMA_VERSION = 1;

export type CommandName = 'seed' | 'compare-unread' | 'flood' | 'heap' | 'heap-diff' | 'watch' | 'heap-capture' | 'flood-target' | 'query';

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
