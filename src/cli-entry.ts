import { Command, Option } from 'commander';
import { emit, type TextRenderer } from './commands/common/emit.js';
import { validateOutputOptions } from './lib/common-options.js';
import { helpText, type FlagSpec } from './lib/flags.js';
import type { BaseResult } from './lib/result.js';
import type { RunContext } from './lib/run-context.js';

/** One command of src/cli.ts's table, and how it becomes a commander command. */
export interface CommandEntry {
  name: string;
  description: string;
  /** commander's syntax: '<result>', '<snapshots...>'. */
  argument?: { name: string; description: string };
  flags: FlagSpec[];
  /** Absent for a command that only groups subcommands. */
  run?(raw: Record<string, unknown>, args: string[], context: RunContext): Promise<void>;
  /** The command's validation alone (what run does before any work): checks an invocation without running it. */
  validate?(raw: Record<string, unknown>): Promise<void>;
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

/** The validation of a measuring command (its validator, then the output flags'). */
export const validating =
  (validate: (raw: Record<string, unknown>) => unknown): NonNullable<CommandEntry['validate']> =>
  async (raw) => {
    validate(raw);
    validateOutputOptions(raw);
  };

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
