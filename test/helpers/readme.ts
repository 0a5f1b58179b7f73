import { readFileSync } from 'node:fs';

/**
 * The README's shell examples that run imdiag: every `npx imdiag …` command of a ```sh block (a
 * command continued with `\`, each part of `a && b`), with the environment assignments written
 * before it (`IMDIAG_MONGODB_URI=… npx imdiag …`). test/cli/readme-examples.test.ts validates them
 * all; test/e2e/readme-run.test.ts runs a few.
 */
export interface ReadmeExample {
  /** The command as the README writes it. */
  line: string;
  /** The variables assigned before `npx imdiag`. */
  env: Record<string, string>;
  /** imdiag's arguments (after `npx imdiag`), up to a comment, a redirection or a pipe. */
  argv: string[];
  /** The file `> FILE` sends stdout to, if any. */
  stdoutTo?: string;
}

export function readmeExamples(): ReadmeExample[] {
  const lines = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
  const found: ReadmeExample[] = [];
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
    for (const part of command.split(/\s+&&\s+/)) {
      const parsed = parse(part);
      if (parsed) found.push({ line: part, ...parsed });
    }
  }
  return found;
}

/** A shell word split: quotes, a trailing comment, redirections and pipes end the command. */
function parse(command: string): Omit<ReadmeExample, 'line'> | null {
  const words: string[] = [];
  let stdoutTo: string | undefined;
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(#.*$)|([>|])|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) {
    if (m[4] === '>') stdoutTo = /^\s*(\S+)/.exec(command.slice(re.lastIndex))?.[1];
    if (m[3] !== undefined || m[4] !== undefined) break;
    words.push(m[1] ?? m[2] ?? m[5]!);
  }
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  if (words[0] !== 'npx' || words[1] !== 'imdiag') return null;
  return { env, argv: words.slice(2), ...(stdoutTo && { stdoutTo }) };
}
