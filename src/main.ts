import { CommanderError } from 'commander';
import { buildProgram } from './cli.js';
import type { RunContext } from './lib/run-context.js';
import { CheckError, UsageError } from './lib/errors.js';
import { redactText } from './lib/mongo/redact.js';
import { streamReporter } from './lib/progress.js';

/**
 * The one place that ends the process (STYLE.md §1):
 * 0 success, 2 usage error (flag and allowed values), 1 failed check or anything unexpected.
 * Ctrl-C aborts the run's signal so long commands can still report; a second Ctrl-C exits 130.
 */
async function main(): Promise<number> {
  const abort = new AbortController();
  process.on('SIGINT', () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nimdiag: stopping (Ctrl-C again to quit at once)\n');
    abort.abort();
  });
  const context: RunContext = {
    reporter: streamReporter(process.stderr),
    argv: ['imdiag', ...process.argv.slice(2).map(redactText)],
    startedAt: new Date(),
    signal: abort.signal,
  };
  try {
    await buildProgram(context).parseAsync(process.argv);
    return 0;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its one-line message (or the help / version text).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
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

process.exit(await main());
