import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckError } from '../../lib/errors.js';
import type { WorkloadRun } from '../../results/leak.js';

export type Workload = { kind: 'during'; command: string } | { kind: 'duration'; ms: number };

const TAIL_BYTES = 2048;
/** POSIX shells exit 127 when the command is not found, 126 when it cannot be executed. */
const NOT_FOUND = 127;
const NOT_EXECUTABLE = 126;

/**
 * One repetition of the workload: the --during command through /bin/sh (its own process group,
 * so Ctrl-C ends it and whatever it started), or --duration's wait while the target serves its own
 * traffic. A command that fails is a CheckError naming it, its status and its last output line.
 */
export async function runWorkload(workload: Workload, repetition: number, signal: AbortSignal): Promise<WorkloadRun> {
  const started = performance.now();
  if (workload.kind === 'duration') {
    await sleep(workload.ms, undefined, { signal }).catch(() => undefined);
    return { repetition, kind: 'duration', command: null, exitCode: null, signal: null, durationMs: performance.now() - started, outputTail: '' };
  }
  const child = spawn('/bin/sh', ['-c', workload.command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  signal.addEventListener('abort', stop, { once: true });
  const [exitCode, exitSignal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', (error) => reject(new CheckError(`--during: cannot start /bin/sh: ${error.message}`)));
    child.once('close', (code, sig) => resolve([code, sig]));
  }).finally(() => signal.removeEventListener('abort', stop));
  const run: WorkloadRun = {
    repetition,
    kind: 'during',
    command: workload.command,
    exitCode,
    signal: exitSignal,
    durationMs: performance.now() - started,
    outputTail: tail,
  };
  if (signal.aborted) return run;
  const last = tail.trim().split('\n').pop()?.trim() ?? '';
  if (exitCode === NOT_FOUND) throw new CheckError(`--during '${workload.command}': command not found${last ? ` (${last})` : ''}`);
  if (exitCode === NOT_EXECUTABLE) throw new CheckError(`--during '${workload.command}': cannot be executed${last ? ` (${last})` : ''}`);
  if (exitCode !== 0) {
    throw new CheckError(
      `--during '${workload.command}' failed (${exitSignal ? `killed by ${exitSignal}` : `exit code ${exitCode}`}) in repetition ${repetition}${last ? `: ${last}` : ''}; the target's tracking was switched off`,
    );
  }
  return run;
}
