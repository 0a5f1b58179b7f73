/**
 * The paths thread (paths-thread.ts): searches the shortest paths over the shared edges into the
 * shared arrays it was given and answers once, with its time or the error it met.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PathsAnswer } from './paths-thread.js';
import { searchPaths, type PathsInput } from './paths-search.js';

const { input, from, label } = workerData as { input: PathsInput; from: Uint32Array; label: Uint32Array };
const started = performance.now();
let answer: PathsAnswer;
try {
  searchPaths(input, from, label);
  answer = { ms: performance.now() - started };
} catch (error) {
  answer = { error: (error as Error).message };
}
parentPort!.postMessage(answer);
