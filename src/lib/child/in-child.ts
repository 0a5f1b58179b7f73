import { CONFIG_ENV, CONFIG_OVER_IPC, ORPHAN_GRACE_MS, PROGRESS_PREFIX, type ChildToParent, type FinalMessage, type ParentToChild } from './protocol.js';

/**
 * The child's side of protocol.ts, for the entry module of every forked child. It ends nothing
 * itself except an orphan: only src/main.ts ends a process on purpose, and a child whose parent
 * is gone has nobody left to report to.
 */
let finalSent = false;

function post<Stream, Final>(message: ChildToParent<Stream, Final>, done?: () => void): void {
  if (process.connected && process.send) process.send(message, undefined, {}, () => done?.());
  else done?.();
}

/** The config from the environment, or over IPC when it was too large for it. Arms the orphan guard. */
export async function receiveConfig<Config>(): Promise<Config> {
  guardOrphan();
  const fromEnv = process.env[CONFIG_ENV];
  if (fromEnv === undefined) throw new Error(`${CONFIG_ENV} is not set: this module is a child of imdiag, not a program`);
  if (fromEnv !== CONFIG_OVER_IPC) return JSON.parse(fromEnv) as Config;
  return new Promise<Config>((resolve) => {
    const listener = (message: ParentToChild<Config, unknown>) => {
      if (message.kind !== 'config') return;
      process.off('message', listener);
      resolve(message.config);
    };
    process.on('message', listener);
    post({ kind: 'need-config' });
  });
}

/** Control messages from the parent (start, stop…). */
export function onControl<Control>(handler: (message: Control) => void): void {
  process.on('message', (message: ParentToChild<unknown, Control>) => {
    if (message.kind === 'control') handler(message.message);
  });
}

export function sendStream<Stream>(message: Stream): void {
  post({ kind: 'stream', message });
}

/** The one final message; the channel is closed once it is out, so the process can end on its own. */
export function sendFinal<Final extends FinalMessage>(message: Final): Promise<void> {
  finalSent = true;
  return new Promise((resolve) =>
    post({ kind: 'final', message }, () => {
      if (process.connected) process.disconnect();
      resolve();
    }),
  );
}

/** A progress line on stderr: written synchronously, so the last one survives an OOM death. */
export function writeProgress(progress: unknown, write: (line: string) => void = (line) => process.stderr.write(line)): void {
  write(`${PROGRESS_PREFIX}${JSON.stringify(progress)}\n`);
}

const ORPHAN_CHECK_MS = 50;

let guarded = false;
/**
 * The parent is gone (killed, crashed) when the IPC channel closes before the final message. A
 * 'disconnect' listener would keep the channel, and so the process, alive (Node refs the channel
 * for it), and misses a parent that died before this module ran; an unref'd timer polls instead.
 * The child's own 'disconnect' handlers get ORPHAN_GRACE_MS to close their handles, then it ends.
 */
function guardOrphan(): void {
  if (guarded) return;
  guarded = true;
  let goneSince: number | null = null;
  const check = setInterval(() => {
    if (process.connected || finalSent) return;
    goneSince ??= Date.now();
    if (Date.now() - goneSince >= ORPHAN_GRACE_MS) process.kill(process.pid, 'SIGKILL');
  }, ORPHAN_CHECK_MS);
  check.unref();
}
