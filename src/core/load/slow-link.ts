import net from 'node:net';
import type { AddressInfo } from 'node:net';

// Token-bucket tick; the bucket holds at most one tick's worth plus one socket read.
const TICK_MS = 50;

/**
 * A weak link in front of the server for one slow monitor: a loopback TCP relay that reads from
 * the server at most `bytesPerSec` (it pauses its upstream socket when the bucket is empty), so
 * the kernel buffers fill and the server's own send buffer — ws bufferedAmount — really grows.
 * The relay owns both sockets, so nothing else resumes the paused one.
 */
export interface SlowLink {
  port: number;
  close(): Promise<void>;
}

export async function startSlowLink(targetPort: number, bytesPerSec: number, targetHost = '127.0.0.1'): Promise<SlowLink> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(downstream).add(upstream);
    const perTick = (bytesPerSec * TICK_MS) / 1000;
    let tokens = perTick;
    upstream.on('data', (chunk: Buffer) => {
      downstream.write(chunk);
      tokens -= chunk.length;
      if (tokens <= 0) upstream.pause();
    });
    const timer = setInterval(() => {
      tokens = Math.min(tokens + perTick, perTick);
      if (tokens > 0 && upstream.isPaused()) upstream.resume();
    }, TICK_MS);
    timers.add(timer);
    downstream.on('data', (chunk: Buffer) => upstream.write(chunk));
    const end = () => {
      clearInterval(timer);
      timers.delete(timer);
      upstream.destroy();
      downstream.destroy();
    };
    upstream.on('close', end).on('error', end);
    downstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
