import { Command, Option } from 'commander';
import { COMPARE_UNREAD_FLAGS, validateCompareUnreadOptions } from './commands/compare-unread-options.js';
import { emit, type TextRenderer } from './commands/emit.js';
import { FLOOD_FLAGS, validateFloodOptions } from './commands/flood-options.js';
import { FLOOD_TARGET_FLAGS } from './commands/flood-target-options.js';
import { MEMORY_SOURCE_FLAGS } from './commands/memory-source-options.js';
import { QUERY_FLAGS, validateQueryOptions } from './commands/query-options.js';
import { REPORT_FLAGS, validateReportOptions, type RawReportOptions } from './commands/report-options.js';
import { SEED_FLAGS, validateSeedOptions } from './commands/seed-options.js';
import { OUTPUT_FLAGS, TARGET_FLAGS, validateOutputOptions, type RawOutputOptions } from './lib/common-options.js';
import { helpText, type FlagSpec } from './lib/flags.js';
import type { BaseResult } from './lib/result.js';
import type { RunContext } from './lib/run-context.js';
import { IMDIAG_VERSION } from './lib/version.js';

/**
 * The list of commands (STYLE.md §2). Each entry declares its flags (with the defaults and ranges
 * its validator uses, shown by --help), turns commander's raw strings into typed options through
 * one pure validate… function, and lazy-imports its handler and renderer. No logic lives here.
 */
export interface CommandEntry {
  name: string;
  description: string;
  /** commander's syntax: '<result>', '<snapshots...>'. */
  argument?: { name: string; description: string };
  flags: FlagSpec[];
  /** Absent for a command that only groups subcommands. */
  run?(raw: Record<string, unknown>, args: string[], context: RunContext): Promise<void>;
  /** Commands under this one (`imdiag heap diff`), each with flags of its own. */
  subcommands?: CommandEntry[];
  /** This command's own flags go before a subcommand's name (commander's enablePositionalOptions). */
  positionalOptions?: boolean;
}

/** A command that measures: validate, run the handler, print its result through its renderer (and --report). */
export function measuring<Options, R extends BaseResult>(
  validate: (raw: Record<string, unknown>) => Options,
  load: () => Promise<[(options: Options, context: RunContext) => Promise<R>, TextRenderer<R>]>,
): NonNullable<CommandEntry['run']> {
  return async (raw, _args, context) => {
    const options = validate(raw);
    const output = validateOutputOptions(raw);
    const [handler, render] = await load();
    await emit(await handler(options, context), render, output, context.reporter);
  };
}

export const COMMANDS: CommandEntry[] = [
  {
    name: 'seed',
    description: 'Generate the WebIM dataset of the post-mortem (msgs, readMsgs with duplicates, readCursors) into an imdiag database',
    flags: [...SEED_FLAGS, ...TARGET_FLAGS, ...OUTPUT_FLAGS],
    run: measuring(validateSeedOptions, async () => [(await import('./commands/seed.js')).seed, (await import('./report/seed/terminal.js')).renderSeed]),
  },
  {
    name: 'compare-unread',
    description: "Replay the post-mortem's unread query and every fix, each in its own process: heap, latency, server work, agreement",
    flags: [...COMPARE_UNREAD_FLAGS, ...TARGET_FLAGS, ...OUTPUT_FLAGS],
    run: measuring(validateCompareUnreadOptions, async () => [(await import('./commands/compare-unread.js')).compareUnread, (await import('./report/compare-unread/terminal.js')).renderCompareUnread]),
  },
  {
    name: 'flood',
    description: "Replay Spider's push flood on loopback: producers POST, a ws server pushes charts to monitors, some slow; heap trend and time to OOM per push strategy",
    // --target: the same load against the user's own server (src/target/), its own flags and result.
    flags: [...FLOOD_FLAGS, ...FLOOD_TARGET_FLAGS, ...MEMORY_SOURCE_FLAGS.filter(([flags]) => flags !== '--allow-remote').map(([flags, description]) => ({ flags, description: `with --target: ${description}` })), ...OUTPUT_FLAGS],
    run: async (raw, args, context) => {
      const targetOptions = await import('./commands/flood-target-options.js');
      if (raw.target === undefined) {
        targetOptions.rejectTargetFlags(raw);
        return measuring(validateFloodOptions, async () => [(await import('./commands/flood.js')).flood, (await import('./report/flood/terminal.js')).renderFlood])(raw, args, context);
      }
      const { params, conditions } = targetOptions.validateFloodTargetOptions(raw);
      const output = validateOutputOptions(raw);
      const [{ floodTarget }, { renderFloodTarget }] = await Promise.all([import('./commands/flood-target.js'), import('./report/flood/target-terminal.js')]);
      await emit(await floodTarget(params, conditions, context), renderFloodTarget, output, context.reporter);
    },
  },
  {
    name: 'query',
    description: 'The Node heap cost of your own query on your database, per variant (driver, stream, mongoose, lean, raw, projection), sampled and predicted',
    flags: [...QUERY_FLAGS, ...TARGET_FLAGS, ...OUTPUT_FLAGS],
    run: measuring((raw) => validateQueryOptions(raw), async () => [(await import('./commands/query.js')).query, (await import('./report/query/terminal.js')).renderQuery]),
  },
  {
    name: 'report',
    description: 'Render a saved result (from --json or --report FILE.json) again as a Markdown, HTML or JSON report',
    argument: { name: '<result>', description: 'the saved result, a JSON file' },
    flags: REPORT_FLAGS,
    run: async (raw, [input], context) => {
      const options = validateReportOptions(input, raw as RawReportOptions);
      const { report } = await import('./commands/report.js');
      const written = await report(options);
      context.reporter.note(`${written.command} report written to ${written.out} (${written.format}, ${written.bytes.toLocaleString('en-US')} bytes)`);
    },
  },
];

export function buildProgram(context: RunContext): Command {
  const program = new Command('imdiag')
    .description('Reproduce, measure and explain Node.js heap and MongoDB query bloat.')
    .version(IMDIAG_VERSION, '-V, --version')
    .configureOutput({ outputError: (message, write) => write(`imdiag: ${message.replace(/^error: /, '')}`) })
    .exitOverride()
    // Options belong to the command they follow: `heap diff A B --json` is diff's --json, not heap's.
    .enablePositionalOptions();
  for (const entry of COMMANDS) registerCommand(program, entry, context);
  addHeapCommand(program, context);
  addWatchCommand(program, context);
  return program;
}

/** --json, --report, --no-redact, for the commands not in the table yet. */
function withOutputOptions(command: Command): Command {
  for (const flag of OUTPUT_FLAGS) command.addOption(new Option(flag.flags, helpText(flag)));
  return command;
}

/** One command: its flags with their defaults and ranges in --help, its run, its subcommands. */
export function registerCommand(parent: Command, entry: CommandEntry, context: RunContext): Command {
  const command = parent.command(entry.name).description(entry.description);
  if (entry.argument) command.argument(entry.argument.name, entry.argument.description);
  for (const flag of entry.flags) {
    const option = new Option(flag.flags, helpText(flag));
    if (flag.env) option.env(flag.env);
    command.addOption(option);
  }
  // commander honours a command's positional options only when its parent's are positional too.
  if (entry.positionalOptions) {
    parent.enablePositionalOptions();
    command.enablePositionalOptions();
  }
  const { run } = entry;
  if (run) {
    command.action(async (...args: unknown[]) => {
      const self = args.at(-1) as Command;
      await run(self.opts(), self.args, context);
    });
  }
  for (const subcommand of entry.subcommands ?? []) registerCommand(command, subcommand, context);
  return command;
}

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
