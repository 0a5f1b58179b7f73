import { Command, Option } from 'commander';
import type { RunContext } from './lib/run-context.js';
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
  addCompareUnreadCommand(program, context);
  addFloodCommand(program, context);
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
    .option('--no-redact', 'keep hostnames in reports (credentials are never written)');
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
    const [{ seed }, { renderSeed }] = await Promise.all([import('./commands/seed.js'), import('./report/seed/terminal.js')]);
    await emit(await seed(options, context), renderSeed, output, context.reporter);
  });
}

type RawSeedCommandOptions = import('./commands/seed-options.js').RawSeedOptions & RawOutputOptions;

function addCompareUnreadCommand(program: Command, context: RunContext): void {
  const command = program
    .command('compare-unread')
    .description("Replay the post-mortem's unread query and every fix, each in its own process: heap, latency, server work, agreement")
    .option('--user <id|heaviest>', 'the user whose unread messages are computed (default: heaviest, most read receipts)')
    .option('--strategies <list>', 'comma-separated: naive,naive-mongoose,window,projection,distinct,aggregate,cursor,bloom (default: all)')
    .option('--runs <n>', 'measured runs per strategy after one warm-up (default 3)')
    .option('--window <months>', 'the time window of the windowed strategies, in months (default 6)')
    .option('--max-old-space-size <MB>', "heap cap of each strategy's process, e.g. 1536 (Node's default when the post-mortem happened)")
    .option('--heapdump [dir]', "write a heap snapshot at each strategy's peak and list the top constructors (default dir: a new one in the temp dir)")
    .option('--bloom-fp-rate <p>', 'false-positive rate the bloom strategy is sized for (default 0.01)')
    .option('--quick', 'one measured run per strategy');
  withOutputOptions(withTargetOptions(command)).action(async (raw: RawCompareUnreadCommandOptions) => {
    const { validateCompareUnreadOptions } = await import('./commands/compare-unread-options.js');
    const options = validateCompareUnreadOptions(raw);
    const output = validateOutputOptions(raw);
    const [{ compareUnread }, { renderCompareUnread }] = await Promise.all([import('./commands/compare-unread.js'), import('./report/compare-unread/terminal.js')]);
    await emit(await compareUnread(options, context), renderCompareUnread, output, context.reporter);
  });
}

type RawCompareUnreadCommandOptions = import('./commands/compare-unread-options.js').RawCompareUnreadOptions & RawOutputOptions;

function addFloodCommand(program: Command, context: RunContext): void {
  const command = program
    .command('flood')
    .description("Replay Spider's push flood on loopback: producers POST, a ws server pushes charts to monitors, some slow; heap trend and time to OOM per push strategy")
    .option('--rate <n>', 'POSTs per second in total, over all producers (default 50)')
    .option('--producers <n>', 'producers sharing the rate, each with its own keep-alive connections (default 10)')
    .option('--payload <size>', 'bytes of each POST body, e.g. 512, 1kb (default 1kb)')
    .option('--clients <n>', 'WebSocket monitors (dashboards) (default 5)')
    .option('--slow-clients <n>', 'how many of the monitors read slowly (default 1)')
    .option('--slow-read <size>', 'bytes per second a slow monitor reads, e.g. 64kb (default 64kb)')
    .option('--duration <time>', 'load time per strategy: 500ms, 30s, 2m or plain seconds (default 30s)')
    .option('--interval <time>', 'push period of the interval strategy (default 5s, as Spider fixed it)')
    .option('--high-water <size>', 'backpressure: skip a monitor whose bufferedAmount is above this (default 1mb)')
    .option('--strategy <name>', 'push strategy: per-message, interval or backpressure (default per-message)')
    .option('--compare', 'run every strategy one after another under the same load, side by side')
    .option('--max-old-space-size <MB>', "heap cap of the server process (default: Node's own limit)");
  withOutputOptions(command).action(async (raw: RawFloodCommandOptions) => {
    const { validateFloodOptions } = await import('./commands/flood-options.js');
    const options = validateFloodOptions(raw);
    const output = validateOutputOptions(raw);
    const [{ flood }, { renderFlood }] = await Promise.all([import('./commands/flood.js'), import('./report/flood/terminal.js')]);
    await emit(await flood(options, context), renderFlood, output, context.reporter);
  });
}

type RawFloodCommandOptions = import('./commands/flood-options.js').RawFloodOptions & RawOutputOptions;

function addReportCommand(program: Command, context: RunContext): void {
  program
    .command('report')
    .description('Render a saved result (from --json or --report FILE.json) again as a Markdown, HTML or JSON report')
    .argument('<result>', 'the saved result, a JSON file')
    .option('--out <file>', 'the report to write; the format follows the extension: .md, .html or .json')
    .option('--no-redact', 'keep hostnames in the report (credentials are never written)')
    .action(async (input: string, raw: import('./commands/report-options.js').RawReportOptions) => {
      const { validateReportOptions } = await import('./commands/report-options.js');
      const options = validateReportOptions(input, raw);
      const { report } = await import('./commands/report.js');
      const written = await report(options);
      context.reporter.note(`${written.command} report written to ${written.out} (${written.format}, ${written.bytes.toLocaleString('en-US')} bytes)`);
    });
}
