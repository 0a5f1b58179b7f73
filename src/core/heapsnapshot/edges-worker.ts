/**
 * The edges thread (edges-thread.ts): finds the `edges` array in the snapshot file, reads it into
 * the shared arrays it was given and answers once, with its time or the error it met.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { JsonObjectStream } from '../../lib/json-object-stream.js';
import { edgesHandler, type EdgeArrays } from './edges.js';
import type { EdgesAnswer } from './edges-thread.js';
import type { Layout } from './header.js';
import { readChunks } from './read-chunks.js';

const KEY = Buffer.from('"edges"');
const OPEN = Buffer.from('{');

async function readEdges(path: string, layout: Layout, into: EdgeArrays): Promise<void> {
  let finished = false;
  const stream = new JsonObjectStream((key) => (key === 'edges' ? edgesHandler(layout, into, () => (finished = true)) : { kind: 'skip' }));
  let offset = 0;
  let found = false;
  let tail = Buffer.alloc(0);
  for await (const chunk of readChunks(path)) {
    if (!found) {
      // The key may straddle two chunks: search the last few bytes of the previous one with this one.
      const window = Buffer.concat([tail, chunk]);
      const at = window.indexOf(KEY);
      if (at < 0) {
        tail = window.subarray(Math.max(0, window.length - KEY.length + 1));
        tail = Buffer.from(tail);
        offset += chunk.length;
        continue;
      }
      found = true;
      const start = offset - (window.length - chunk.length) + at;
      stream.startsAt(start - 1);
      stream.push(OPEN);
      stream.push(window.subarray(at));
    } else stream.push(chunk);
    offset += chunk.length;
    if (finished) return;
  }
  if (!found) throw new Error('no "edges" array');
  stream.end();
}

const { path, layout, edgeTo, edgeNameType } = workerData as { path: string; layout: Layout } & EdgeArrays;
const started = performance.now();
let answer: EdgesAnswer;
try {
  await readEdges(path, layout, { edgeTo, edgeNameType });
  answer = { ms: performance.now() - started };
} catch (error) {
  answer = { error: { name: (error as Error).name, message: (error as Error).message } };
}
parentPort!.postMessage(answer);
