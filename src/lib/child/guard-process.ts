/**
 * The guard of a process imdiag started and must not outlive it (the embedded mongod, a `leak
 * --during` command's process group): a detached process that stops it when imdiag dies for any
 * reason, SIGKILL included. For mongod it replaces nothing of mongodb-memory-server's `mongo_killer`,
 * which polls `kill(parentPid, 0)` every 2 s: that call succeeds on a zombie, so a killed imdiag
 * whose parent has not reaped it yet (a supervisor, a test runner, `subprocess.Popen` without wait)
 * looks alive to it and the server is left running. This guard watches its IPC channel instead:
 * the kernel closes it the moment imdiag dies, zombie or not; and its own parent pid, as a backstop.
 *
 * argv: <pid> <imdiag pid> <grace ms> [group]. With `group`, <pid> leads a process group and the
 * whole group is signalled. SIGTERM first, SIGKILL after the grace. Prints nothing (its stdio is closed).
 */
import { isAlive } from '../process-alive.js';

const pid = Number(process.argv[2]);
const parentPid = Number(process.argv[3]);
const graceMs = Number(process.argv[4]);
/** kill(-pgid, …) reaches every process of the group, what a shell command started included. */
const target = process.argv[5] === 'group' ? -pid : pid;
const POLL_MS = 200;

function signal(name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // Already gone.
  }
}

/** A group is alive while any member is (kill(-pgid, 0)); a single process unless it is a zombie. */
const alive = (): boolean => (target < 0 ? groupAlive() : isAlive(pid));
function groupAlive(): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  setInterval(() => {
    if (!alive()) process.exit(0);
    if (Date.now() > deadline) signal('SIGKILL');
  }, POLL_MS);
}

// Terminal signals never reach this process (it leads its own session); these are for a person's `kill`.
for (const name of ['SIGINT', 'SIGHUP'] as const) process.on(name, () => undefined);
process.on('disconnect', stop);
setInterval(() => {
  if (stopping) return;
  if (!alive()) process.exit(0);
  if (process.ppid !== parentPid) stop();
}, 1000);
