import { Command, Option } from 'commander';
import type { RunContext } from './commands/context.js';
import { emit } from './commands/emit.js';
import { validateOutputOptions, validateTargetOptions, type RawOutputOptions, type RawTargetOptions } from './lib/common-options.js';
import { IMDIAG_VERSION } from './lib/version.js';

/**
 * The list of commands (STYLE.md §2): options are declared here, turned into typed options by
 * one pure validate… function per command, and handed to a lazily imported handler.
 */
export function buildProgram(context: RunContext): Command {
  const program = new Command('imdiag')
    .description('Reproduce, measure and explain Node.js heap and MongoDB query bloat.')
    .version(IMDIAG_VERSION, '-V, --version')
    .configureOutput({ outputError: (message, write) => write(`imdiag: ${message.replace(/^error: /, '')}`) })
    .exitOverride();

  return program;
}

/** --uri, --db, --data-dir: where the WebIM data lives. */
export function withTargetOptions(command: Command): Command {
  return command
    .addOption(new Option('--uri <uri>', 'MongoDB connection string (standalone, replica set or mongos); default: an embedded mongod').env('IMDIAG_MONGODB_URI'))
    .option('--db <name>', 'database name', 'imdiag')
    .option('--data-dir <dir>', 'data directory of the embedded mongod (default: ~/.cache/imdiag/mongodb)');
}

/** --json, --report, --no-redact: where the result goes. */
export function withOutputOptions(command: Command): Command {
  return command
    .option('--json', 'print only the result object (JSON) on stdout')
    .option('--report <file>', 'also write a report; the format follows the extension: .md, .html or .json')
    .option('--no-redact', 'keep credentials and hostnames in reports');
}

export { emit, validateOutputOptions, validateTargetOptions };
export type { RawOutputOptions, RawTargetOptions };
