import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled guard; under vitest this module is TypeScript source and the guard comes from dist/. */
function guardEntry(): string {
  const here = fileURLToPath(new URL('./guard-process.js', import.meta.url));
  return existsSync(here) ? here : here.replace(/([\\/])src([\\/]lib[\\/]child[\\/])/, '$1dist$2');
}

export interface ProcessGuard {
  /** After a clean stop: the guard has nothing left to do. */
  dismiss(): void;
}

export interface GuardOptions {
  /** SIGTERM first; SIGKILL after this long if it has not ended. */
  graceMs: number;
  /** `pid` leads a process group (spawned detached): signal the whole group. */
  group?: boolean;
}

/**
 * Starts the guard of a process imdiag started (see guard-process.ts): detached, in its own
 * session, so neither a terminal's Ctrl-C nor the death of imdiag reaches it; connected to imdiag
 * by an IPC channel whose closing tells it to stop `pid` (or its group).
 */
export function guardProcess(pid: number, options: GuardOptions): ProcessGuard {
  const args = [guardEntry(), String(pid), String(process.pid), String(options.graceMs), ...(options.group ? ['group'] : [])];
  const guard = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  guard.on('error', () => undefined);
  // Neither the guard nor its channel keeps imdiag alive.
  guard.unref();
  guard.channel?.unref();
  return {
    dismiss: () => {
      guard.kill('SIGKILL');
    },
  };
}
