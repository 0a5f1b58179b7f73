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

  addSeedCommand(program, context);
  addReportCommand(program, context);
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

function addSeedCommand(program: Command, context: RunContext): void {
  const command = program
    .command('seed')
    .description('Generate the WebIM dataset of the post-mortem (msgs, readMsgs with duplicates, readCursors) into an imdiag database')
    .option('--profile <name>', 'tiny (tests), demo (seconds) or article (the post-mortem: 2 years, 1M+ receipts for one user)', 'demo')
    .option('--scale <factor>', 'multiply the profile\'s volume (messages a day, hence topics and receipts), 0.01-100')
    .option('--users <n>', 'number of users (override the profile)')
    .option('--days <n>', 'days of history ending at the anchor (override the profile)')
    .option('--msgs-per-day <n>', 'messages a day across all topics (override the profile, after --scale)')
    .option('--opens-per-day <n>', 'times a user reopens each active topic a day; each open re-inserts a receipt per message')
    .option('--heavy-opens-per-day <n>', 'the same for the heavy user (user-001)')
    .option('--seed <n>', 'random seed: same seed and anchor, same data (default 20180810)')
    .option('--anchor <date>', 'end of the generated history, e.g. 2018-08-10 (default: start of today, UTC)')
    .option('--batch-size <n>', 'documents per bulk insert (default 1000)')
    .option('--drop', 'replace the dataset of an existing imdiag database');
  withOutputOptions(withTargetOptions(command)).action(async (raw: RawSeedCommandOptions) => {
    const { validateSeedOptions } = await import('./commands/seed-options.js');
    const options = validateSeedOptions(raw);
    const output = validateOutputOptions(raw);
    const [{ seed }, { renderSeed }] = await Promise.all([import('./commands/seed.js'), import('./seed/render.js')]);
    await emit(await seed(options, context), renderSeed, output, context.reporter);
  });
}

type RawSeedCommandOptions = import('./commands/seed-options.js').RawSeedOptions & RawOutputOptions;

function addReportCommand(program: Command, context: RunContext): void {
  program
    .command('report')
    .description('Render a saved result (from --json or --report FILE.json) again as a Markdown, HTML or JSON report')
    .argument('<result>', 'the saved result, a JSON file')
    .option('--out <file>', 'the report to write; the format follows the extension: .md, .html or .json')
    .option('--no-redact', 'keep credentials and hostnames in the report')
    .action(async (input: string, raw: import('./commands/report-options.js').RawReportOptions) => {
      const { validateReportOptions } = await import('./commands/report-options.js');
      const options = validateReportOptions(input, raw);
      const { report } = await import('./commands/report.js');
      const written = await report(options);
      context.reporter.note(`${written.command} report written to ${written.out} (${written.format}, ${written.bytes.toLocaleString('en-US')} bytes)`);
    });
}
