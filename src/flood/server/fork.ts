import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FloodSample } from '../result.js';
import type { ChildMessage, ParentMessage, ServerConfig, ServerCounters } from './protocol.js';

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const STDERR_TAIL_CHARS = 2_000;

/** The compiled child; under vitest this module is TypeScript source and the child comes from dist/. */
function childEntry(): string {
  const here = fileURLToPath(new URL('./child.js', import.meta.url));
  return existsSync(here) ? here : here.replace(/([\\/])src([\\/]flood[\\/]server[\\/])/, '$1dist$2');
}

export interface ServerExit {
  code: number | null;
  signal: string | null;
  stderrTail: string;
}

export interface ServerChild {
  port: number;
  pid: number;
  heapLimitBytes: number;
  samples: FloodSample[];
  /** Resolves when the child exits, however it ends. */
  exited: Promise<ServerExit>;
  /** True once the child has exited. */
  readonly hasExited: boolean;
  start(): void;
  /** Asks the child to close and report; kills it if it does not within STOP_TIMEOUT_MS. */
  stop(): Promise<{ counters: ServerCounters | null; exit: ServerExit }>;
}

/** Forks the server child and waits for `ready`; rejects with the child's own words if it fails. */
export async function forkServer(config: ServerConfig, maxOldSpaceSizeMB: number | null): Promise<ServerChild> {
  // --expose-gc: the sampler's periodic full collections (see FULL_GC_EVERY_MS).
  const execArgv = ['--expose-gc', ...(maxOldSpaceSizeMB === null ? [] : [`--max-old-space-size=${maxOldSpaceSizeMB}`])];
  const child: ChildProcess = fork(childEntry(), [JSON.stringify(config)], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS)));
  const samples: FloodSample[] = [];
  let counters: ServerCounters | null = null;
  let childError: string | null = null;
  let hasExited = false;
  const exited = new Promise<ServerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      // stderr may still be draining; give it a moment for the tail.
      setTimeout(() => resolve({ code, signal, stderrTail: stderrTail.trim() }), 50);
    });
  });
  child.on('error', () => undefined);
  const ready = new Promise<{ port: number; pid: number; heapLimitBytes: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server child not ready after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'sample') samples.push(message.sample);
      else if (message.type === 'result') counters = message.counters;
      else if (message.type === 'error') childError = message.message;
      else if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      }
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(childError ?? `server child exited before ready (code ${exit.code}, signal ${exit.signal})${exit.stderrTail ? `: ${exit.stderrTail.split('\n').at(-1)}` : ''}`));
    });
  });
  const send = (message: ParentMessage) => {
    if (child.connected) child.send(message);
  };
  let info: { port: number; pid: number; heapLimitBytes: number };
  try {
    info = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    ...info,
    samples,
    exited,
    get hasExited() {
      return hasExited;
    },
    start: () => send({ type: 'start' }),
    async stop() {
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const exit = await exited;
      clearTimeout(timer);
      return { counters, exit };
    },
  };
}
