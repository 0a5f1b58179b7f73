import { SCHEMA_VERSION, type CommandName } from '../lib/result.js';
import { UsageError } from '../lib/errors.js';
import type { ReportableResult } from './render.js';
import { COMMON, REQUIRED_FIELDS } from './required-fields.js';
import { shapeProblem } from './shape.js';

const COMMANDS = Object.keys(REQUIRED_FIELDS) as CommandName[];

/** Parses a saved result (`--json` output or a `--report x.json` file) for `imdiag report`. */
export function parseSavedResult(text: string, file: string): ReportableResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); pass a result saved with --json or --report FILE.json`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${file} is not an imdiag result: expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  const record = value as Record<string, unknown>;
  if (!('schemaVersion' in record)) throw new UsageError(`${file} is not an imdiag result: it has no schemaVersion`);
  if (record.schemaVersion !== SCHEMA_VERSION) {
    throw new UsageError(`${file} has result schemaVersion ${JSON.stringify(record.schemaVersion)}; this imdiag reads schemaVersion ${SCHEMA_VERSION}`);
  }
  const command = record.command;
  if (typeof command !== 'string' || !(COMMANDS as string[]).includes(command)) {
    throw new UsageError(`${file} is a result of unknown command ${JSON.stringify(command)}; expected one of ${COMMANDS.join(', ')}`);
  }
  const problem = shapeProblem(record, { ...COMMON, ...REQUIRED_FIELDS[command as CommandName] });
  if (problem) throw new UsageError(`${file} is not a complete ${command} result: ${problem}`);
  return value as ReportableResult;
}
