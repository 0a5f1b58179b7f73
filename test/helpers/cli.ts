import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/imdiag.js', import.meta.url));
/**
 * The Node that runs imdiag and the processes it measures in end-to-end tests: IMDIAG_NODE when
 * set (.ci/run's versions subset points it at each pinned build), else the test runner's own.
 */
export const NODE = process.env.IMDIAG_NODE || process.execPath;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns the real bin/imdiag.js (built by global setup) and collects its output. COLUMNS is wide, so
 * a test of what a command says is not a test of where it wraps (test/cli/terminal-width.test.ts
 * tests the widths; a test may pass its own COLUMNS).
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', COLUMNS: '1000', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
