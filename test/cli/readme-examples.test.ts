import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, registerCommand, type CommandEntry } from '../../src/cli.js';
import type { RunContext } from '../../src/lib/run-context.js';
import { readmeExamples } from '../helpers/readme.js';

/**
 * Every `npx imdiag …` line of the README's shell examples (test/helpers/readme.ts) is parsed by imdiag's own command table
 * and checked by the command's validator (CommandEntry.validate: what it checks before any work),
 * without running it: a flag that does not exist, a value out of range or a bad combination
 * fails here. `heap` and `heap diff` check that their files exist, so for them only the flags are
 * checked (the files are the reader's). Query's input files (`@pipeline.json`, `--from-log mongod.log`)
 * are stand-ins written here.
 */
const files = mkdtempSync(join(tmpdir(), 'imdiag-readme-'));
writeFileSync(join(files, 'pipeline.json'), '[{"$match": {}}]');
writeFileSync(join(files, 'mongod.log'), '');
const INPUTS: Record<string, string> = { '@pipeline.json': `@${join(files, 'pipeline.json')}`, 'mongod.log': join(files, 'mongod.log') };
const context = { reporter: { note: () => undefined }, argv: [], startedAt: new Date(), signal: new AbortController().signal } as unknown as RunContext;
const validateOnly = (entry: CommandEntry): CommandEntry => ({
  ...entry,
  run: entry.run && (async (raw) => entry.validate?.(raw)),
  subcommands: entry.subcommands?.map(validateOnly),
});

function program(): Command {
  const root = new Command('imdiag').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const entry of COMMANDS) registerCommand(root, validateOnly(entry), context).exitOverride();
  return root;
}

describe("the README's shell examples", () => {
  const all = readmeExamples();
  it('are many, and all use npx imdiag (a bare imdiag is "command not found" after npm install)', () => {
    expect(all.length).toBeGreaterThan(30);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).not.toMatch(/^```sh[^`]*^\s*imdiag /m);
  });

  it.each(all.map((example) => [example.line, example] as const))('%s', async (_line, example) => {
    const argv = example.argv.map((word) => INPUTS[word] ?? word.replaceAll('PORT', '27017'));
    const root = program();
    for (const command of root.commands) {
      command.exitOverride();
      for (const sub of command.commands) sub.exitOverride();
    }
    await expect(root.parseAsync(argv, { from: 'user' })).resolves.toBeDefined();
  });
});
