/**
 * The embedded mongod's guard: a detached process that stops the server when imdiag dies for any
 * reason, SIGKILL included. It replaces nothing of mongodb-memory-server's `mongo_killer`, which
 * polls `kill(parentPid, 0)` every 2 s: that call succeeds on a zombie, so a killed imdiag whose
 * parent has not reaped it yet (a supervisor, a test runner, `subprocess.Popen` without wait)
 * looks alive to it and the server is left running. This guard watches its IPC channel instead:
 * the kernel closes it the moment imdiag dies, zombie or not; and its own parent pid, as a backstop.
 *
 * argv: <mongod pid> <imdiag pid>. Prints nothing (its stdio is closed).
 */
import { isAlive } from '../process-alive.js';

const serverPid = Number(process.argv[2]);
const parentPid = Number(process.argv[3]);
/** mongod shuts down cleanly on SIGTERM (it flushes the data files); it gets this long before SIGKILL. */
const GRACE_MS = 60_000;
const POLL_MS = 200;

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

let stopping = false;
function stopServer(): void {
  if (stopping) return;
  stopping = true;
  signal(serverPid, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  setInterval(() => {
    if (!isAlive(serverPid)) process.exit(0);
    if (Date.now() > deadline) signal(serverPid, 'SIGKILL');
  }, POLL_MS);
}

// Terminal signals never reach this process (it leads its own session); these are for a person's `kill`.
for (const name of ['SIGINT', 'SIGHUP'] as const) process.on(name, () => undefined);
process.on('disconnect', stopServer);
setInterval(() => {
  if (stopping) return;
  if (!isAlive(serverPid)) process.exit(0);
  if (process.ppid !== parentPid) stopServer();
}, 1000);
