import { forkChild, type ChildEnd } from '../../../lib/child/fork.js';
import type { FloodSample, ServerExit } from '../../../results/flood.js';
import type { ParentMessage, ServerConfig, ServerCounters, ServerFinal, ServerStream } from './protocol.js';

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

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

/** Forks the server child (src/lib/child) and waits for `ready`; rejects with the child's own words if it fails. */
export async function forkServer(config: ServerConfig, maxOldSpaceSizeMB: number | null): Promise<ServerChild> {
  const samples: FloodSample[] = [];
  let onReady: (ready: Extract<ServerStream, { type: 'ready' }>) => void = () => undefined;
  const child = forkChild<ServerConfig, ParentMessage, ServerStream, ServerFinal>({
    entry: new URL('./child.js', import.meta.url),
    config,
    // --expose-gc: the sampler's periodic full collections (see FULL_GC_EVERY_MS).
    exposeGc: true,
    maxOldSpaceSizeMB,
    onStream: (message) => (message.type === 'sample' ? samples.push(message.sample) : onReady(message)),
  });
  const ended = child.end.then((end) => ({ final: end.final, exit: serverExit(end) }));
  const ready = new Promise<{ port: number; pid: number; heapLimitBytes: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server child not ready after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    onReady = ({ port, pid, heapLimitBytes }) => {
      clearTimeout(timer);
      resolve({ port, pid, heapLimitBytes });
    };
    void ended.then(({ final, exit }) => {
      clearTimeout(timer);
      const tail = exit.stderrTail ? `: ${exit.stderrTail.split('\n').at(-1)}` : '';
      reject(new Error(final?.type === 'error' ? final.message : `server child exited before ready (code ${exit.code}, signal ${exit.signal})${tail}`));
    });
  });
  let info: { port: number; pid: number; heapLimitBytes: number };
  try {
    info = await ready;
  } catch (error) {
    child.kill();
    await ended;
    throw error;
  }
  const exited = ended.then(({ exit }) => exit);
  return {
    ...info,
    samples,
    exited,
    get hasExited() {
      return child.exited;
    },
    start: () => child.send({ type: 'start' }),
    async stop() {
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill(), STOP_TIMEOUT_MS);
      const { final, exit } = await ended;
      clearTimeout(timer);
      return { counters: final?.type === 'result' ? final.counters : null, exit };
    },
  };
}

/** How the server ended, as its run reports it; OOM is recognised as for every child (src/lib/child/death.ts). */
export function serverExit(end: Pick<ChildEnd<unknown, unknown>, 'exitCode' | 'signal' | 'stderrTail' | 'death'>): ServerExit {
  return { code: end.exitCode, signal: end.signal, stderrTail: end.stderrTail.join('\n'), oom: end.death.kind === 'oom' };
}
