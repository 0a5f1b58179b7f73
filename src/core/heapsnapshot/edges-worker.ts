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
  // The last bytes of the previous chunk, where the key may begin; no copy of whole chunks while searching.
  let tail = Buffer.alloc(0);
  for await (const chunk of readChunks(path)) {
    if (!found) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      let start = -1;
      const joint = tail.length > 0 ? Buffer.concat([tail, bytes.subarray(0, KEY.length - 1)]).indexOf(KEY) : -1;
      if (joint >= 0) start = offset - tail.length + joint;
      else if (bytes.indexOf(KEY) >= 0) start = offset + bytes.indexOf(KEY);
      if (start < 0) {
        tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - KEY.length + 1)));
        offset += chunk.length;
        continue;
      }
      found = true;
      stream.startsAt(start - 1);
      stream.push(OPEN);
      stream.push(KEY);
      stream.push(bytes.subarray(start + KEY.length - offset));
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
