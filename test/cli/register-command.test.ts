import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommand, type CommandEntry } from '../../src/cli.js';
import { silentReporter } from '../../src/lib/progress.js';
import type { RunContext } from '../../src/lib/run-context.js';

const context: RunContext = { reporter: silentReporter, argv: [], startedAt: new Date(), signal: new AbortController().signal };

function program(entry: CommandEntry): Command {
  const root = new Command('imdiag').exitOverride();
  registerCommand(root, entry, context).exitOverride();
  return root;
}

describe('registerCommand (the table of src/cli.ts)', () => {
  it('hands the raw flags and the arguments to run', async () => {
    const calls: unknown[] = [];
    const entry: CommandEntry = {
      name: 'example',
      description: 'an example',
      argument: { name: '<files...>', description: 'files' },
      flags: [
        { flags: '--top <n>', description: 'rows', default: 10, allowed: '1-1,000' },
        { flags: '--json', description: 'JSON' },
      ],
      run: async (raw, args) => void calls.push({ raw, args }),
    };
    await program(entry).parseAsync(['node', 'imdiag', 'example', 'a.json', 'b.json', '--top', '5', '--json']);
    expect(calls).toEqual([{ raw: { top: '5', json: true }, args: ['a.json', 'b.json'] }]);
  });

  it('registers subcommands, each with its own flags; positional options keep the parent flags before the subcommand', async () => {
    const calls: string[] = [];
    const entry: CommandEntry = {
      name: 'heap',
      description: 'a parent with a run of its own',
      argument: { name: '<file>', description: 'a file' },
      flags: [{ flags: '--top <n>', description: 'rows' }],
      positionalOptions: true,
      run: async (raw, args) => void calls.push(`heap ${args.join(' ')} top=${String(raw.top)}`),
      subcommands: [
        {
          name: 'diff',
          description: 'a subcommand',
          argument: { name: '<snapshots...>', description: 'snapshots' },
          flags: [{ flags: '--top <n>', description: 'rows' }],
          run: async (raw, args) => void calls.push(`diff ${args.join(' ')} top=${String(raw.top)}`),
        },
      ],
    };
    await program(entry).parseAsync(['node', 'imdiag', 'heap', 'one.heapsnapshot', '--top', '3']);
    await program(entry).parseAsync(['node', 'imdiag', 'heap', 'diff', 'a', 'b', '--top', '7']);
    expect(calls).toEqual(['heap one.heapsnapshot top=3', 'diff a b top=7']);
  });
});
