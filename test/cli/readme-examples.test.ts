import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, registerCommand, type CommandEntry } from '../../src/cli.js';
import type { RunContext } from '../../src/lib/run-context.js';

/**
 * Every `npx imdiag …` line of the README's shell examples is parsed by imdiag's own command table
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
function examples(): string[] {
  const lines = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
  const found: string[] = [];
  let inShell = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      inShell = !inShell && /^```(sh|bash|shell)\b/.test(line);
      continue;
    }
    if (!inShell) continue;
    let command = line.trim();
    while (command.endsWith('\\')) command = `${command.slice(0, -1).trim()} ${lines[++i]!.trim()}`;
    for (const part of command.split(/\s+&&\s+/)) if (part.startsWith('npx imdiag ')) found.push(part);
  }
  return found;
}

/** A shell word split: quotes, a trailing comment, redirections and pipes end the command. */
function words(command: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(#.*$)|([>|])|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) {
    if (m[3] !== undefined || m[4] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[5]!);
  }
  return out.slice(2); // "npx imdiag"
}

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
  const all = examples();
  it('are many, and all use npx imdiag (a bare imdiag is "command not found" after npm install)', () => {
    expect(all.length).toBeGreaterThan(30);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).not.toMatch(/^```sh[^`]*^\s*imdiag /m);
  });

  it.each(all)('%s', async (example) => {
    const argv = words(example).map((word) => INPUTS[word] ?? word.replaceAll('PORT', '27017'));
    const root = program();
    for (const command of root.commands) {
      command.exitOverride();
      for (const sub of command.commands) sub.exitOverride();
    }
    await expect(root.parseAsync(argv, { from: 'user' })).resolves.toBeDefined();
  });
});
