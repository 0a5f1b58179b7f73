import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ShortestPaths } from './paths.js';
import { searchPaths, type PathsInput } from './paths-search.js';

/** What the paths thread sends back once: its own time, or what went wrong. */
export interface PathsAnswer {
  ms?: number;
  error?: string;
}

/** The shortest paths being searched, in a thread of their own or already found in this one. */
export interface PathsRun {
  /** Resolves with the paths once the search is over (and its thread gone); `threadMs` is 0 without a thread. */
  done: Promise<{ paths: ShortestPaths; threadMs: number }>;
}

const WORKER = new URL('./paths-worker.js', import.meta.url);

/**
 * Starts the shortest paths' search (paths-search.ts) in a worker thread when every array it
 * reads is in a SharedArrayBuffer (the edges thread's arrays: snapshots from 64 MB up) and the
 * compiled worker is there, so the load's thread computes the retaining edges meanwhile (two
 * cores); the paths are written into shared arrays, 8 bytes a node as in one thread. Otherwise
 * (a small snapshot, or run from the TypeScript sources) the search runs here and now.
 */
export function startPaths(input: PathsInput): PathsRun {
  const arrays = [input.firstEdge, input.edgeNameType, input.edgeTo, input.nativeContexts, input.mapDescriptors];
  const shared = arrays.every((array) => array.buffer instanceof SharedArrayBuffer);
  if (!shared || !existsSync(fileURLToPath(WORKER))) {
    const paths = { from: new Uint32Array(input.nodeCount), label: new Uint32Array(input.nodeCount) };
    searchPaths(input, paths.from, paths.label);
    return { done: Promise.resolve({ paths, threadMs: 0 }) };
  }
  const paths = {
    from: new Uint32Array(new SharedArrayBuffer(input.nodeCount * 4)),
    label: new Uint32Array(new SharedArrayBuffer(input.nodeCount * 4)),
  };
  // No execArgv: the process's own flags (--input-type, -e …) are not the worker's business.
  const worker = new Worker(WORKER, { workerData: { input, ...paths }, execArgv: [] });
  // Settled once the thread has exited, not when it answers: its isolate's memory is gone before
  // the dominator tree allocates its own arrays.
  const done = new Promise<{ paths: ShortestPaths; threadMs: number }>((resolve, reject) => {
    let answer: PathsAnswer | undefined;
    let failure: Error | undefined;
    worker.once('message', (message: PathsAnswer) => (answer = message));
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (code) => {
      if (answer?.error !== undefined) reject(new Error(`the shortest paths' thread failed: ${answer.error}`));
      else if (answer) resolve({ paths, threadMs: answer.ms ?? 0 });
      else reject(failure ?? new Error(`the shortest paths' thread stopped (exit code ${code}) without an answer`));
    });
  });
  // Awaited once the retaining edges are known; a rejection before that must not go unhandled.
  done.catch(() => undefined);
  return { done };
}
