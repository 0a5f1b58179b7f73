import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BIN, NODE } from './cli.js';

const PTY = fileURLToPath(new URL('./pty-stderr.py', import.meta.url));

/**
 * imdiag with its stderr on a pseudo-terminal (python3's pty module, pty-stderr.py) and its stdout on a
 * pipe: what a person at a terminal sees on stderr while `--json` stays pure on stdout.
 */
export async function runWithTtyStderr(args: string[], { timeoutMs = 120_000 } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdout } = await promisify(execFile)('python3', [PTY, NODE, BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 2 ** 20,
    timeout: timeoutMs,
  });
  return JSON.parse(stdout) as { code: number; stdout: string; stderr: string };
}

/** What a terminal showed in turn: the text between line ends, carriage returns and line clears. */
export const screenLines = (tty: string): string[] => tty.split(/\r?\n|\r|\x1b\[2K/).filter((line) => line !== '');
