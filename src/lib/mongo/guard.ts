import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled guard; under vitest this module is TypeScript source and the guard comes from dist/. */
function guardEntry(): string {
  const here = fileURLToPath(new URL('./guard-process.js', import.meta.url));
  return existsSync(here) ? here : here.replace(/([\\/])src([\\/]lib[\\/]mongo[\\/])/, '$1dist$2');
}

export interface ServerGuard {
  /** After a clean stop: the guard has nothing left to do. */
  dismiss(): void;
}

/**
 * Starts the guard of an embedded mongod (see guard-process.ts for why mongo_killer is not
 * enough): detached, in its own session, so neither a terminal's Ctrl-C nor the death of imdiag
 * reaches it; connected to imdiag by an IPC channel whose closing tells it to stop the server.
 */
export function guardServer(serverPid: number): ServerGuard {
  const guard = spawn(process.execPath, [guardEntry(), String(serverPid), String(process.pid)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
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
