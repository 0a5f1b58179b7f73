import { readFileSync } from 'node:fs';

/**
 * Alive and not a zombie: kill(pid, 0) succeeds on a process that died but was not reaped yet (a
 * `kill -9`'d imdiag whose parent never waits for it). EPERM: alive, under another user.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** Linux: the state after the command name in /proc/<pid>/stat; elsewhere unknown (not a zombie). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
