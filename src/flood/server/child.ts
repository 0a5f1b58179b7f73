import v8 from 'node:v8';
import type { FloodSample } from '../result.js';
import { startFloodServer } from './app.js';
import type { ChildMessage, ParentMessage, ServerConfig } from './protocol.js';
import { startSampler } from './sampler.js';

/**
 * Entry of the server child (forked by ../run.ts with the config as argv[2]). It listens on
 * 127.0.0.1, port 0, reports ready, samples from `start` to `stop`, reports its counters and
 * ends by closing every handle (no process.exit: only src/main.ts ends a process on purpose).
 */
function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

async function run(): Promise<void> {
  // Ctrl-C in a terminal reaches the whole process group; the parent decides when this server
  // stops (it sends stop and still collects the result), so the signal itself is ignored here.
  process.on('SIGINT', () => undefined);
  const config = JSON.parse(process.argv[2] ?? '') as ServerConfig;
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
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'start') {
      server.resetCounters();
      sampler.restart();
    } else if (message.type === 'stop') {
      void close().then(() => {
        send({ type: 'result', counters: { ...server.counters } });
        if (process.connected) process.disconnect();
      });
    }
  });
  // The parent went away without a stop: close and end.
  process.on('disconnect', () => void close());
  send({ type: 'ready', port: server.port, pid: process.pid, heapLimitBytes: v8.getHeapStatistics().heap_size_limit });
}

run().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  if (process.connected) process.disconnect();
  process.exitCode = 1;
});
