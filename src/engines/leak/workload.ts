import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHandoff } from '../../core/leak/handoff.js';
import { guardProcess } from '../../lib/child/guard.js';
import { CheckError } from '../../lib/errors.js';
import type { WorkloadRun } from '../../results/leak.js';

export type Workload = { kind: 'during'; command: string } | { kind: 'duration'; ms: number };

export interface StartedWorkload {
  /**
   * The load is over: false when the command ended, true when it said so through the handoff
   * (src/core/leak/handoff.ts) and holds its connections to the target until end(). Rejects when
   * the command cannot start.
   */
  loaded: Promise<boolean>;
  /** Let a held workload close its connections and end (end() does it too). */
  release(): Promise<void>;
  /** Release a held workload, wait for its end: the run, or a CheckError naming a failed command. */
  end(): Promise<WorkloadRun>;
}

const TAIL_BYTES = 2048;
/** A --during command ended because imdiag died gets SIGTERM, then SIGKILL after this long. */
const GUARD_GRACE_MS = 5_000;
/** POSIX shells exit 127 when the command is not found, 126 when it cannot be executed. */
const NOT_FOUND = 127;
const NOT_EXECUTABLE = 126;

/**
 * The process groups of the --during commands still running: ended on every exit imdiag makes; a
 * guard process (src/lib/child/guard.ts) ends each when imdiag is killed (SIGKILL, a crash).
 */
const running = new Set<number>();
process.on('exit', () => {
  for (const pid of running) killGroup(pid);
});

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/**
 * One repetition of the workload: the --during command through /bin/sh (its own process group,
 * so Ctrl-C ends it and whatever it started), or --duration's wait while the target serves its own
 * traffic. A command that fails is a CheckError naming it, its status and its last output line.
 */
export async function startWorkload(workload: Workload, repetition: number, signal: AbortSignal): Promise<StartedWorkload> {
  const started = performance.now();
  if (workload.kind === 'duration') {
    const waited = sleep(workload.ms, undefined, { signal }).catch(() => undefined);
    const run = (): WorkloadRun => ({
      ...{ repetition, kind: 'duration', command: null, exitCode: null, signal: null },
      ...{ durationMs: performance.now() - started, outputTail: '', held: false },
    });
    return { loaded: waited.then(() => false), release: () => Promise.resolve(), end: () => waited.then(run) };
  }
  const handoff = await createHandoff();
  const child = spawn('/bin/sh', ['-c', workload.command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...handoff.env } });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = () => killGroup(child.pid);
  signal.addEventListener('abort', stop, { once: true });
  if (child.pid !== undefined) running.add(child.pid);
  const guard = child.pid !== undefined ? guardProcess(child.pid, { graceMs: GUARD_GRACE_MS, group: true }) : null;
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', (error) => reject(new CheckError(`--during: cannot start /bin/sh: ${error.message}`)));
    child.once('close', (code, sig) => resolve([code, sig]));
  }).finally(() => {
    signal.removeEventListener('abort', stop);
    guard?.dismiss();
    if (child.pid !== undefined) running.delete(child.pid);
  });
  const done = new AbortController();
  let loadedMs = 0;
  const said = handoff.loaded(done.signal).then(() => !done.signal.aborted);
  // Whichever comes first; a command that failed to start rejects here (its handoff removed).
  const loaded = Promise.race([exited.then(() => false), said]).then(
    (held) => ((loadedMs = performance.now() - started), done.abort(), held),
    async (error: unknown) => (done.abort(), await handoff.remove(), Promise.reject(error)),
  );
  const end = async (): Promise<WorkloadRun> => {
    const held = await loaded;
    await handoff.release();
    const [exitCode, exitSignal] = await exited.finally(() => handoff.remove());
    const run: WorkloadRun = {
      ...{ repetition, kind: 'during', command: workload.command, exitCode, signal: exitSignal },
      ...{ durationMs: held ? loadedMs : performance.now() - started, outputTail: tail, held },
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
  };
  return { loaded, release: handoff.release, end };
}

/**
 * Every repetition's holding workload (imdiag flood's monitors, src/core/leak/handoff.ts) keeps its
 * connections until the final snapshot: a repeated load means the same clients staying while the
 * load comes again, and a slow monitor's backlog is freed the moment it disconnects.
 */
export function releaseAll(held: readonly StartedWorkload[]): Promise<unknown> {
  return Promise.all(held.map((workload) => workload.release()));
}

/** Releases and waits for the held workloads (emptying `held`); the runs in repetition order. */
export async function endHeld(held: StartedWorkload[], runs: WorkloadRun[]): Promise<void> {
  const ended = await Promise.allSettled(held.splice(0).map((workload) => workload.end()));
  for (const outcome of ended) if (outcome.status === 'fulfilled') runs.push(outcome.value);
  runs.sort((a, b) => a.repetition - b.repetition);
  const failed = ended.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
