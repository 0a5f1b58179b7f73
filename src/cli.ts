import { Command, Option } from 'commander';
import type { RunContext } from './lib/run-context.js';
import { emit } from './commands/emit.js';
import { validateOutputOptions, validateTargetOptions, type RawOutputOptions, type RawTargetOptions } from './lib/common-options.js';
import { MEMORY_SOURCE_FLAGS } from './commands/memory-source-options.js';
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
    .exitOverride()
    // Options belong to the command they follow: `heap diff A B --json` is diff's --json, not heap's.
    .enablePositionalOptions();

  addSeedCommand(program, context);
  addCompareUnreadCommand(program, context);
  addFloodCommand(program, context);
  addHeapCommand(program, context);
  addReportCommand(program, context);
  addWatchCommand(program, context);
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
    .option('--max-old-space-size <MB>', "heap cap of the server process (default: Node's own limit)")
    .option('--target <url>', 'your server instead of the simulator: producers POST here, e.g. http://127.0.0.1:3000/api/data (loopback unless --allow-remote)')
    .option('--method <method>', 'with --target: POST or PUT (default POST)')
    .option('--body <json|file>', 'with --target: the request body, JSON or a file; {{now}} (epoch ms), {{seq}} and {{rand}} are filled in per request')
    .option('--header <name: value>', 'with --target: a request header, repeatable', (value: string, previous: string[] = []) => [...previous, value])
    .option('--connections <n>', 'with --target: keep-alive connections per producer, 1-64 (default 1)')
    .option('--ws <url>', "with --target: the monitors are plain WebSocket clients of this URL, e.g. ws://127.0.0.1:3000/live")
    .option('--socket-io <url>', 'with --target: the monitors are socket.io clients of this server (WebSocket transport)')
    .option('--event <name>', 'with --socket-io: the event the monitors count, e.g. chart')
    .option('--allow-remote', 'with --target: allow a target, monitors, inspector or metrics page that are not on loopback')
    .option('--fail-on <conditions>', 'with --target: exit 1 when any holds, e.g. growing, died, heap>512MB, time-to-oom<30m, p99>200ms');
  // The memory source of --target: the flags `imdiag watch` has (--allow-remote is declared above).
  for (const [flags, help] of MEMORY_SOURCE_FLAGS) if (flags !== '--allow-remote') command.option(flags, `with --target: ${help}`);
  withOutputOptions(command).action(async (raw: RawFloodCommandOptions) => {
    if (raw.target !== undefined) {
      const { validateFloodTargetOptions } = await import('./commands/flood-target-options.js');
      const { params, conditions } = validateFloodTargetOptions(raw);
      const output = validateOutputOptions(raw);
      const [{ floodTarget }, { renderFloodTarget }] = await Promise.all([import('./commands/flood-target.js'), import('./report/flood/target-terminal.js')]);
      await emit(await floodTarget(params, conditions, context), renderFloodTarget, output, context.reporter);
      return;
    }
    (await import('./commands/flood-target-options.js')).rejectTargetFlags(raw);
    const { validateFloodOptions } = await import('./commands/flood-options.js');
    const options = validateFloodOptions(raw);
    const output = validateOutputOptions(raw);
    const [{ flood }, { renderFlood }] = await Promise.all([import('./commands/flood.js'), import('./report/flood/terminal.js')]);
    await emit(await flood(options, context), renderFlood, output, context.reporter);
  });
}

type RawFloodCommandOptions = import('./commands/flood-target-options.js').RawFloodTargetOptions & RawOutputOptions;

/**
 * `imdiag heap FILE` analyses a snapshot; its subcommands are listed in HEAP_SUBCOMMANDS (a
 * subcommand name comes first, so a snapshot file named like one is passed as ./diff).
 * Positional options: `heap`'s own flags stay before a subcommand, so `diff --top` is diff's.
 */
function addHeapCommand(program: Command, context: RunContext): void {
  const command = program
    .command('heap')
    .description('Explain a V8 heap snapshot: classes by retained size, what holds the largest objects, duplicated strings; diff snapshots')
    .argument('<file>', 'a .heapsnapshot file (DevTools, v8.writeHeapSnapshot, --heapsnapshot-near-heap-limit, heapdump)')
    .option('--top <n>', 'rows per table: classes, largest objects, duplicated strings, 1-1000 (default 10)')
    .option('--retainers', 'print the shortest path from a GC root to each of the largest objects')
    .option('--strings', 'list the duplicated string values by total size and the share of the heap in strings')
    .enablePositionalOptions();
  withOutputOptions(command).action(async (file: string, raw: RawHeapCommandOptions) => {
    const { validateHeapOptions } = await import('./commands/heap-options.js');
    const options = validateHeapOptions(file, raw);
    const output = validateOutputOptions(raw);
    const [{ heap }, { renderHeap }] = await Promise.all([import('./commands/heap.js'), import('./report/heap/terminal.js')]);
    await emit(await heap(options, context), renderHeap, output, context.reporter);
  });
  for (const addSubcommand of HEAP_SUBCOMMANDS) addSubcommand(command, context);
}

type RawHeapCommandOptions = import('./commands/heap-options.js').RawHeapOptions & RawOutputOptions;
type RawHeapDiffCommandOptions = import('./commands/heap-options.js').RawHeapDiffOptions & RawOutputOptions;

/** Subcommands of `imdiag heap`; `capture` joins this list. */
const HEAP_SUBCOMMANDS: Array<(heap: Command, context: RunContext) => void> = [addHeapDiffCommand, addHeapCaptureCommand];

function addHeapCaptureCommand(heap: Command, context: RunContext): void {
  heap
    .command('capture')
    .description("Take a heap snapshot of a live Node process through its inspector, streamed to a file (refused when it would not fit, unless --force)")
    .option('--pid <n>', 'the local Node process (with --open-inspector)')
    .option('--open-inspector', "open the process's inspector with SIGUSR1 (checked to be a Node process first)")
    .option('--inspect <host:port>', 'an inspector already open, e.g. 127.0.0.1:9229')
    .option('--out <file>', 'the .heapsnapshot to write (never written over)')
    .option('--force', "take it even when the target's heap would not fit in free memory or disk")
    .option('--allow-remote', 'allow an inspector on another machine (default: loopback only)')
    .option('--json', 'print only the result object (JSON) on stdout')
    .action(async (raw: import('./commands/heap-capture-options.js').RawHeapCaptureOptions & RawOutputOptions) => {
      const { validateHeapCaptureOptions } = await import('./commands/heap-capture-options.js');
      const options = validateHeapCaptureOptions(raw);
      const output = validateOutputOptions(raw);
      const [{ heapCapture }, { renderHeapCapture }] = await Promise.all([import('./commands/heap-capture.js'), import('./report/heap-capture/terminal.js')]);
      await emit(await heapCapture(options, context), renderHeapCapture, output, context.reporter);
    });
}

function addHeapDiffCommand(heap: Command, context: RunContext): void {
  const command = heap
    .command('diff')
    .description('Compare snapshots of one process: per-class change; with three, the objects allocated between A and B still alive in C, by retainer path')
    .argument('<snapshots...>', 'before.heapsnapshot after.heapsnapshot [later.heapsnapshot]')
    .option('--top <n>', 'rows per table, 1-1000 (default 10; at least 20 classes)')
    .option('--fail-on <conditions>', "exit 1 when any holds, e.g. 'growth>50MB' (retained growth of any class), 'total-growth>100MB', 'new-objects>10000', 'still-alive>0', 'not-comparable'");
  withOutputOptions(command).action(async (files: string[], raw: RawHeapDiffCommandOptions) => {
    const { validateHeapDiffOptions } = await import('./commands/heap-options.js');
    const options = validateHeapDiffOptions(files, raw);
    const output = validateOutputOptions(raw);
    const [{ heapDiff }, { renderHeapDiff }] = await Promise.all([import('./commands/heap.js'), import('./report/heap/terminal.js')]);
    await emit(await heapDiff(options, context), renderHeapDiff, output, context.reporter);
  });
}

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

function addWatchCommand(program: Command, context: RunContext): void {
  const command = program
    .command('watch')
    .description("Follow a live Node process's memory (no load): heap, external and RSS trends, the verdict and the projected time to out-of-memory");
  for (const [flags, description] of MEMORY_SOURCE_FLAGS) command.option(flags, description);
  command
    .option('--duration <time>', 'how long to watch, 1s-24h: 30s, 2m, 1h (default 2m)')
    .option('--interval <time>', 'time between readings, 50ms-60s (default 250ms: 4 a second)')
    .option('--until-verdict', 'stop as soon as the verdict settles on growing or bounded (--duration still bounds the watch)')
    .option('--fail-on <conditions>', 'exit 1 when any holds: growing, died, inconclusive, bounded, heap>…, rss>…, external>…, time-to-oom<30m');
  withOutputOptions(command).action(async (raw: RawWatchCommandOptions) => {
    const { validateWatchOptions } = await import('./commands/watch-options.js');
    const options = validateWatchOptions(raw);
    const output = validateOutputOptions(raw);
    const [{ watch }, { renderWatch }, { liveWriter }] = await Promise.all([import('./commands/watch.js'), import('./report/watch/terminal.js'), import('./report/watch/live.js')]);
    const live = liveWriter(process.stderr);
    const result = await watch(options, context, live.update).finally(live.done);
    await emit(result, renderWatch, output, context.reporter);
  });
}

type RawWatchCommandOptions = import('./commands/watch-options.js').RawWatchOptions & RawOutputOptions;
