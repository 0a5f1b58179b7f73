import { CommanderError } from 'commander';
import { buildProgram } from './cli.js';
import type { RunContext } from './lib/run-context.js';
import { CheckError, UsageError } from './lib/errors.js';
import { redactText } from './lib/mongo/redact.js';
import { streamReporter } from './lib/progress.js';
import { untestedNodeNotice } from './lib/node-support.js';
import { STOP_SIGNALS, STOPPED_EXIT_CODE, stopCause } from './lib/stop.js';

/**
 * The one place that ends the process (docs/architecture.md, house rule 1):
 * 0 success, 2 usage error (flag and allowed values), 1 failed check or anything unexpected,
 * 130 a run stopped early by a signal (whatever else it found; its partial result is still printed).
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP abort the run's signal so long commands stop and still
 * report; a second one exits 130 at once (the embedded mongod's guard still stops the server).
 */
async function main(): Promise<number> {
  const abort = new AbortController();
  for (const name of STOP_SIGNALS) {
    process.on(name, () => {
      if (abort.signal.aborted) process.exit(STOPPED_EXIT_CODE);
      const again = name === 'SIGINT' ? 'Ctrl-C' : name;
      process.stderr.write(`\nimdiag: stopping (${stopCause(abortWith(abort, name))}; ${again} again to quit at once)\n`);
    });
  }
  const notice = untestedNodeNotice(process.version);
  if (notice) process.stderr.write(`${notice}\n`);
  const context: RunContext = {
    reporter: streamReporter(process.stderr),
    argv: ['imdiag', ...process.argv.slice(2).map(redactText)],
    startedAt: new Date(),
    signal: abort.signal,
  };
  try {
    await buildProgram(context).parseAsync(process.argv);
    return abort.signal.aborted ? stopped(abort.signal) : 0;
  } catch (error) {
    const code = exitCodeFor(error);
    if (!abort.signal.aborted || code === 2) return code;
    // A check that already said the run was stopped ("no file was written") is not followed by a second line saying so.
    return error instanceof CheckError && /\bstopped\b/.test(error.message) ? STOPPED_EXIT_CODE : stopped(abort.signal);
  }
}

function abortWith(abort: AbortController, name: string): AbortSignal {
  abort.abort(name);
  return abort.signal;
}

function stopped(signal: AbortSignal): number {
  process.stderr.write(`imdiag: stopped early (${stopCause(signal)}); the figures cover what ran\n`);
  return STOPPED_EXIT_CODE;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its one-line message (or the help / version text).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    // No command at all: commander printed the usage to stderr; that is a usage error like any other.
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`imdiag: ${error.message}\n`);
    return 2;
  }
  if (error instanceof CheckError) {
    process.stderr.write(`imdiag: ${redactText(error.message)}\n`);
    return 1;
  }
  process.stderr.write(`imdiag: unexpected error\n${error instanceof Error ? redactText(error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

const code = await main();
// A pipe takes 64 KB at a time: exiting before stdout drains would cut a long --json result short.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit(code);
