import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../lib/process-alive.js';
import { sleepUnlessStopped } from '../../lib/stop.js';

/**
 * The handoff between `imdiag leak` and a `--during` workload that holds connections to the target
 * (`imdiag flood --target` with monitors). What a slow monitor's socket queues is freed the moment
 * the monitor disconnects, so a workload that closed its monitors before the final snapshot would
 * hide exactly the backlog that killed Spider. leak names an empty directory in this variable; a
 * workload that sees it writes LOADED there when its load ends, keeps its connections open, and
 * closes them once leak writes RELEASED (after the final snapshot) or after HOLD_MAX_MS.
 */
export const LEAK_HANDOFF_ENV = 'IMDIAG_LEAK_HANDOFF';
const LOADED = 'loaded';
/** imdiag leak's pid: a holding workload stops holding when that process is gone (killed, even with SIGKILL). */
const OWNER = 'owner';
const RELEASED = 'released';
/** Longest a workload holds its connections: leak's --settle (≤ 10 min) plus a snapshot of a large heap. */
export const HOLD_MAX_MS = 15 * 60_000;
const POLL_MS = 100;

/** leak's side: one directory per repetition. */
export interface Handoff {
  readonly env: Record<string, string>;
  /** Resolves once the workload has said its load is over (never, for a workload that does not know the handoff). */
  loaded(signal: AbortSignal): Promise<void>;
  /** Let the workload close its connections and end. */
  release(): Promise<void>;
  remove(): Promise<void>;
}

export async function createHandoff(): Promise<Handoff> {
  const dir = await mkdtemp(join(tmpdir(), 'imdiag-leak-handoff-'));
  await writeFile(join(dir, OWNER), `${process.pid}\n`);
  return {
    env: { [LEAK_HANDOFF_ENV]: dir },
    async loaded(signal) {
      while (!signal.aborted && !existsSync(join(dir, LOADED))) await sleepUnlessStopped(POLL_MS, signal);
    },
    release: () => writeFile(join(dir, RELEASED), `${process.pid}\n`).catch(() => undefined),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The workload's side: with leak's variable set, say the load is over and wait for the release
 * (or the stop signal, or HOLD_MAX_MS, or leak's process gone). Returns whether it held; without the variable, at once.
 */
export async function holdForLeak(env: NodeJS.ProcessEnv, signal: AbortSignal, onHold: () => void): Promise<boolean> {
  const dir = env[LEAK_HANDOFF_ENV];
  if (!dir || !existsSync(dir)) return false;
  // onHold first: once LOADED exists leak may take its snapshot, and the workload is holding by then.
  onHold();
  await writeFile(join(dir, LOADED), `${process.pid}\n`);
  // No owner file (an older leak): taken as alive, the release or HOLD_MAX_MS ends the hold.
  const owner = Number(await readFile(join(dir, OWNER), 'utf8').catch(() => '0'));
  const deadline = Date.now() + HOLD_MAX_MS;
  while (!signal.aborted && Date.now() < deadline && !existsSync(join(dir, RELEASED)) && (owner <= 0 || !Number.isInteger(owner) || isAlive(owner)))
    await sleepUnlessStopped(POLL_MS, signal);
  return true;
}
