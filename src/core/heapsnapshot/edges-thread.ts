import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EdgeArrays } from './edges.js';
import { SnapshotFormatError, type Layout } from './header.js';

/** A snapshot this large (bytes) has its edges read by a second thread; below it, the thread's start-up (~50 ms) costs more than it saves. */
export const EDGES_THREAD_BYTES = 64 * 1024 * 1024;

/** What the edges thread sends back once: its own time, or what was wrong. */
export interface EdgesAnswer {
  ms?: number;
  error?: { name: string; message: string };
}

/** The edges being read by a thread of their own, into memory both threads share. */
export interface EdgesThread extends EdgeArrays {
  /** Resolves once every edge is in (with the thread's own ms); rejects with what it met. */
  done: Promise<number>;
  stop(): void;
}

const WORKER = new URL('./edges-worker.js', import.meta.url);

/**
 * Starts reading the `edges` array of the snapshot at `path` in a worker thread (edges-worker.ts)
 * while the caller reads the nodes and the rest: the edges are most of a snapshot's numbers, so on
 * two cores the read takes about the time of the larger half. The arrays are SharedArrayBuffers,
 * 8 bytes an edge as in one thread. Null where the compiled worker is absent (run from the
 * TypeScript sources, as the tests do), and the caller reads the edges itself.
 */
export function startEdgesThread(path: string, layout: Layout): EdgesThread | null {
  if (!existsSync(fileURLToPath(WORKER))) return null;
  const edgeTo = new Uint32Array(new SharedArrayBuffer(layout.edgeCount * 4));
  const edgeNameType = new Uint32Array(new SharedArrayBuffer(layout.edgeCount * 4));
  // No execArgv: the process's own flags (--input-type, -e …) are not the worker's business.
  const worker = new Worker(WORKER, { workerData: { path, layout, edgeTo, edgeNameType }, execArgv: [] });
  // Settled once the thread has exited, not when it answers: its memory (an isolate of its own,
  // tens of MB) is gone before the reader goes on to the analysis.
  const done = new Promise<number>((resolve, reject) => {
    let answer: EdgesAnswer | undefined;
    let failure: Error | undefined;
    worker.once('message', (message: EdgesAnswer) => (answer = message));
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (code) => {
      if (answer?.error) reject(answer.error.name === 'SnapshotFormatError' ? new SnapshotFormatError(answer.error.message) : new Error(answer.error.message));
      else if (answer) resolve(answer.ms ?? 0);
      else reject(failure ?? new Error(`the thread reading the edges stopped (exit code ${code}) without an answer`));
    });
  });
  // Awaited only once the reader reaches the strings; a rejection before that must not go unhandled.
  done.catch(() => undefined);
  return { edgeTo, edgeNameType, done, stop: () => void worker.terminate() };
}
