import v8 from 'node:v8';
import { onControl, receiveConfig, sendFinal, sendStream } from '../../../lib/child/in-child.js';
import type { FloodSample } from '../../../results/flood.js';
import { startFloodServer } from './app.js';
import type { ParentMessage, ServerConfig, ServerStream } from './protocol.js';
import { startSampler } from './sampler.js';

/**
 * Entry of the server child (forked by fork.ts). It listens on 127.0.0.1, port 0, reports
 * ready, samples from `start` to `stop`, reports its counters and ends by closing every handle
 * (no process.exit: only src/main.ts ends a process on purpose).
 */
const send = (message: ServerStream) => sendStream(message);

async function run(): Promise<void> {
  // Ctrl-C in a terminal reaches the whole process group; the parent decides when this server
  // stops (it sends stop and still collects the result), so the signal itself is ignored here.
  process.on('SIGINT', () => undefined);
  const config = await receiveConfig<ServerConfig>();
  const server = await startFloodServer(config);
  const sampler = startSampler(server, config.sampleEveryMs, (sample: FloodSample) => send({ type: 'sample', sample }));
  let closing: Promise<void> | undefined;
  const close = () => {
    if (!closing) {
      sampler.stop();
      closing = server.close();
    }
    return closing;
  };
  onControl((message: ParentMessage) => {
    if (message.type === 'start') {
      server.resetCounters();
      sampler.restart();
    } else if (message.type === 'stop') {
      void close().then(() => sendFinal({ type: 'result', counters: { ...server.counters } }));
    }
  });
  // The parent went away without a stop: close and end.
  process.on('disconnect', () => void close());
  send({ type: 'ready', port: server.port, pid: process.pid, heapLimitBytes: v8.getHeapStatistics().heap_size_limit });
}

run().catch(async (error: unknown) => {
  process.exitCode = 1;
  await sendFinal({ type: 'error', message: error instanceof Error ? error.message : String(error) });
});
