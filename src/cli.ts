import { Command } from 'commander';
import { measuring, registerCommand, validating, type CommandEntry } from './cli-entry.js';
import { emit } from './commands/common/emit.js';
import { COMPARE_UNREAD_FLAGS, validateCompareUnreadOptions } from './commands/compare-unread/options.js';
import { DOCTOR_FLAGS, validateDoctorOptions } from './commands/doctor/options.js';
import { FLOOD_FLAGS, validateFloodOptions } from './commands/flood/options.js';
import { FLOOD_TARGET_FLAGS } from './commands/flood-target/options.js';
import { HEAP_CAPTURE_FLAGS, validateHeapCaptureOptions, type RawHeapCaptureOptions } from './commands/heap-capture/options.js';
import { HEAP_REDACT_FLAGS, validateHeapRedactOptions } from './commands/heap-redact/options.js';
import { HEAP_DIFF_FLAGS, HEAP_FLAGS, validateHeapDiffOptions, validateHeapOptions } from './commands/heap/options.js';
import { MEMORY_SOURCE_FLAGS } from './commands/common/memory-source-options.js';
import { LEAK_FLAGS, validateLeakOptions, type RawLeakOptions } from './commands/leak/options.js';
import { QUERY_FLAGS, validateQueryOptions } from './commands/query/options.js';
import { WATCH_FLAGS, validateWatchOptions, type RawWatchOptions } from './commands/watch/options.js';
import { REPORT_FLAGS, validateReportOptions, type RawReportOptions } from './commands/report/options.js';
import { SEED_FLAGS, validateSeedOptions } from './commands/seed/options.js';
import { OUTPUT_FLAGS, SHOW_STRINGS_FLAG, TARGET_FLAGS, validateOutputOptions } from './lib/common-options.js';
import type { RunContext } from './lib/run-context.js';
import { IMDIAG_VERSION } from './lib/version.js';
import { NODE_SUPPORT_TEXT } from './lib/node-support.js';

export { measuring, registerCommand, validating, type CommandEntry } from './cli-entry.js';

/**
 * The list of commands (docs/architecture.md, house rule 2). Each entry declares its flags (with the defaults and ranges
 * its validator uses, shown by --help), turns commander's raw strings into typed options through
 * one pure validate… function, and lazy-imports its handler and renderer. No logic lives here.
 * The entry type and the commander glue live in src/cli-entry.ts.
 */
export const COMMANDS: CommandEntry[] = [
  {
    name: 'doctor',
    description: 'Read a crash log (V8 out-of-memory, a kill from outside) or a diagnostic report: what happened, whose objects, the next command',
    argument: {
      name: '<file>',
      description: "the log (the process's stderr, kubectl logs, journalctl, dmesg) or Node's diagnostic report JSON; - reads stdin",
    },
    flags: [...DOCTOR_FLAGS, ...OUTPUT_FLAGS],
    run: async (raw, [file], context) =>
      measuring(
        (flags) => validateDoctorOptions(file, flags),
        async () => [(await import('./commands/doctor/handler.js')).doctor, (await import('./report/doctor/terminal.js')).renderDoctor],
      )(raw, [], context),
  },
  {
    name: 'seed',
    description: 'Generate the WebIM dataset of the post-mortem (msgs, readMsgs with duplicates, readCursors) into an imdiag database',
    flags: [...SEED_FLAGS, ...TARGET_FLAGS, ...OUTPUT_FLAGS],
    validate: validating(validateSeedOptions),
    run: measuring(validateSeedOptions, async () => [
      (await import('./commands/seed/handler.js')).seed,
      (await import('./report/seed/terminal.js')).renderSeed,
    ]),
  },
  {
    name: 'compare-unread',
    description: "Replay the post-mortem's unread query and every fix, each in its own process: heap, latency, server work, agreement",
    flags: [...COMPARE_UNREAD_FLAGS, ...TARGET_FLAGS, ...OUTPUT_FLAGS, SHOW_STRINGS_FLAG],
    validate: validating(validateCompareUnreadOptions),
    run: measuring(validateCompareUnreadOptions, async () => [
      (await import('./commands/compare-unread/handler.js')).compareUnread,
      (await import('./report/compare-unread/terminal.js')).renderCompareUnread,
    ]),
  },
  {
    name: 'flood',
    description:
      "Replay Spider's push flood on loopback: producers POST, a ws server pushes charts to monitors, some slow; heap trend and time to OOM per push strategy",
    // --target: the same load against the user's own server (src/target/), its own flags and result.
    flags: [
      ...FLOOD_FLAGS,
      ...FLOOD_TARGET_FLAGS,
      ...MEMORY_SOURCE_FLAGS.filter(([flags]) => flags !== '--allow-remote').map(([flags, description]) => ({
        flags,
        description: `with --target: ${description}`,
      })),
      ...OUTPUT_FLAGS,
    ],
    validate: async (raw) => {
      const targetOptions = await import('./commands/flood-target/options.js');
      if (raw.target === undefined) targetOptions.rejectTargetFlags(raw);
      await validating(raw.target === undefined ? validateFloodOptions : targetOptions.validateFloodTargetOptions)(raw);
    },
    run: async (raw, args, context) => {
      const targetOptions = await import('./commands/flood-target/options.js');
      if (raw.target === undefined) {
        targetOptions.rejectTargetFlags(raw);
        return measuring(validateFloodOptions, async () => [
          (await import('./commands/flood/handler.js')).flood,
          (await import('./report/flood/terminal.js')).renderFlood,
        ])(raw, args, context);
      }
      const { params, conditions } = targetOptions.validateFloodTargetOptions(raw);
      const output = validateOutputOptions(raw);
      const [{ floodTarget }, { renderFloodTarget }] = await Promise.all([
        import('./commands/flood-target/handler.js'),
        import('./report/flood-target/terminal.js'),
      ]);
      await emit(await floodTarget(params, conditions, context), renderFloodTarget, output, context.reporter);
    },
  },
  {
    name: 'query',
    description: 'The Node heap cost of your own query on your database, per variant (driver, stream, mongoose, lean, raw, projection), sampled and predicted',
    flags: [...QUERY_FLAGS, ...TARGET_FLAGS, ...OUTPUT_FLAGS],
    validate: validating((raw) => validateQueryOptions(raw)),
    run: measuring(
      (raw) => validateQueryOptions(raw),
      async () => [(await import('./commands/query/handler.js')).query, (await import('./report/query/terminal.js')).renderQuery],
    ),
  },
  {
    name: 'heap',
    description: 'Explain a V8 heap snapshot: classes by retained size, what holds the largest objects, duplicated strings; diff snapshots',
    argument: { name: '<file>', description: 'a .heapsnapshot file (DevTools, v8.writeHeapSnapshot, --heapsnapshot-near-heap-limit, heapdump)' },
    flags: [...HEAP_FLAGS, ...OUTPUT_FLAGS],
    // A subcommand's name comes first (`heap diff …`); a snapshot named like one is passed as ./diff.
    positionalOptions: true,
    run: async (raw, [file], context) =>
      measuring(
        (flags) => validateHeapOptions(file, flags),
        async () => [(await import('./commands/heap/handler.js')).heap, (await import('./report/heap/terminal.js')).renderHeap],
      )(raw, [], context),
    subcommands: [
      {
        name: 'diff',
        description: 'Compare snapshots of one process: per-class change; with three, the objects allocated between A and B still alive in C, by retainer path',
        argument: { name: '<snapshots...>', description: 'before.heapsnapshot after.heapsnapshot [later.heapsnapshot]' },
        flags: [...HEAP_DIFF_FLAGS, ...OUTPUT_FLAGS],
        run: async (raw, files, context) =>
          measuring(
            (flags) => validateHeapDiffOptions(files, flags),
            async () => [(await import('./commands/heap/handler.js')).heapDiff, (await import('./report/heap/terminal.js')).renderHeapDiff],
          )(raw, [], context),
      },
      {
        name: 'redact',
        description: 'Copy a snapshot with its string values and data-like keys replaced by same-length filler (names and sizes kept), to send it to someone',
        argument: { name: '<files...>', description: 'IN.heapsnapshot OUT.heapsnapshot (OUT must not exist)' },
        flags: HEAP_REDACT_FLAGS,
        run: async (raw, files, context) =>
          measuring(
            () => validateHeapRedactOptions(files),
            async () => [(await import('./commands/heap-redact/handler.js')).heapRedact, (await import('./report/heap-redact/terminal.js')).renderHeapRedact],
          )(raw, [], context),
      },
      {
        name: 'capture',
        description: 'Take a heap snapshot of a live Node process through its inspector, streamed to a file (refused when it would not fit, unless --force)',
        flags: HEAP_CAPTURE_FLAGS,
        validate: validating((raw) => validateHeapCaptureOptions(raw as RawHeapCaptureOptions)),
        run: measuring(
          (raw) => validateHeapCaptureOptions(raw as RawHeapCaptureOptions),
          async () => [(await import('./commands/heap-capture/handler.js')).heapCapture, (await import('./report/heap-capture/terminal.js')).renderHeapCapture],
        ),
      },
    ],
  },
  {
    name: 'leak',
    description:
      'Find what leaks in a live Node process and where: baseline, your workload (×N), final snapshot in one inspector session; survivors by allocating function and by what holds them',
    flags: [...LEAK_FLAGS, ...OUTPUT_FLAGS],
    run: measuring(
      (raw) => validateLeakOptions(raw as RawLeakOptions),
      async () => [(await import('./commands/leak/handler.js')).leak, (await import('./report/leak/terminal.js')).renderLeak],
    ),
  },
  {
    name: 'watch',
    description: "Follow a live Node process's memory (no load): heap, external and RSS trends, the verdict and the projected time to out-of-memory",
    flags: [...WATCH_FLAGS, ...OUTPUT_FLAGS],
    validate: validating((raw) => validateWatchOptions(raw as RawWatchOptions)),
    run: measuring(
      (raw) => validateWatchOptions(raw as RawWatchOptions),
      async () => [(await import('./commands/watch/with-live-line.js')).watchWithLiveLine, (await import('./report/watch/terminal.js')).renderWatch],
    ),
  },
  {
    name: 'report',
    description:
      'Print a saved result (from --json or --report FILE.json) again as its command printed it, or write it as a Markdown, HTML or JSON report (--out)',
    argument: { name: '<result>', description: 'the saved result, a JSON file' },
    flags: REPORT_FLAGS,
    run: async (raw, [input], context) => {
      const options = validateReportOptions(input, raw as RawReportOptions);
      if (!('out' in options)) return (await import('./commands/report/show.js')).showSaved(options);
      const { report } = await import('./commands/report/handler.js');
      const written = await report(options);
      context.reporter.note(`${written.command} report written to ${written.out} (${written.format}, ${written.bytes.toLocaleString('en-US')} bytes)`);
    },
  },
];

export function buildProgram(context: RunContext): Command {
  const program = new Command('imdiag')
    .description('Reproduce, measure and explain Node.js heap and MongoDB query bloat.')
    .version(IMDIAG_VERSION, '-V, --version')
    .addHelpText('after', `\n${NODE_SUPPORT_TEXT}; on another major imdiag runs and says its figures were not validated there.`)
    .configureOutput({ outputError: (message, write) => write(`imdiag: ${message.replace(/^error: /, '')}`) })
    .exitOverride();
  for (const entry of COMMANDS) registerCommand(program, entry, context);
  return program;
}
