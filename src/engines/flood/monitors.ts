import { WebSocket } from 'ws';
import { emptyGroup, summariseGroup, type MonitorGroup } from '../../core/load/monitor-group.js';
import type { MonitorGroupSummary } from '../../results/flood.js';
import { startSlowLink, type SlowLink } from '../../core/load/slow-link.js';

// Pushes are whole charts; a monitor accepts any size the server sends.
const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
// The newest producer timestamp sits at the start of every push: {"newest":<t>,…
const NEWEST = /^\{"newest":([\d.]+)/;

interface Monitor {
  socket: WebSocket;
  /** Producer timestamp of the newest data received; null before the first push. */
  newest: number | null;
  closed: boolean;
}

type Group = MonitorGroup<Monitor>;

export interface MonitorFleet {
  /** Worst staleness per group now (ms), null when the group has received nothing or is empty. */
  staleness(): { fastMs: number | null; slowMs: number | null };
  summary(): { fast: MonitorGroupSummary; slow: MonitorGroupSummary | null };
  close(): Promise<void>;
}

/**
 * The dashboards: `clients` WebSocket monitors on 127.0.0.1:port, the first `slowClients` behind a
 * SlowLink reading `slowReadBytesPerSec`. Resolves once every monitor is open.
 */
export async function connectMonitors(options: { port: number; clients: number; slowClients: number; slowReadBytesPerSec: number }): Promise<MonitorFleet> {
  const links: SlowLink[] = [];
  const fast: Group = emptyGroup<Monitor>();
  const slow: Group = emptyGroup<Monitor>();
  const opened: Promise<void>[] = [];
  try {
    for (let i = 0; i < options.clients; i += 1) {
      const isSlow = i < options.slowClients;
      let port = options.port;
      if (isSlow) {
        const link = await startSlowLink(options.port, options.slowReadBytesPerSec);
        links.push(link);
        port = link.port;
      }
      const group = isSlow ? slow : fast;
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`, {
        perMessageDeflate: false,
        maxPayload: MAX_MESSAGE_BYTES,
        handshakeTimeout: CONNECT_TIMEOUT_MS,
      });
      const monitor: Monitor = { socket, newest: null, closed: false };
      group.monitors.push(monitor);
      socket.on('message', (data: Buffer) => {
        const receivedAt = performance.now();
        group.messages += 1;
        group.bytes += data.length;
        const match = NEWEST.exec(data.toString('latin1', 0, 48));
        const newest = match ? Number(match[1]) : 0;
        if (newest > 0) {
          group.latency.recordMs(receivedAt - newest);
          if (monitor.newest === null || newest > monitor.newest) monitor.newest = newest;
        }
      });
      socket.on('close', () => (monitor.closed = true));
      opened.push(
        new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
        }),
      );
      // Later errors close the socket; the summary counts it as disconnected.
      socket.on('error', () => undefined);
    }
    await Promise.all(opened);
  } catch (error) {
    await closeAll([fast, slow], links);
    throw error;
  }

  const worst = (group: Group, now: number): number | null => {
    let worstMs: number | null = null;
    for (const monitor of group.monitors) {
      if (monitor.newest !== null) worstMs = Math.max(worstMs ?? 0, now - monitor.newest);
    }
    return worstMs;
  };
  const staleness = () => {
    const now = performance.now();
    const result = { fastMs: worst(fast, now), slowMs: worst(slow, now) };
    if (result.fastMs !== null) fast.maxStalenessMs = Math.max(fast.maxStalenessMs ?? 0, result.fastMs);
    if (result.slowMs !== null) slow.maxStalenessMs = Math.max(slow.maxStalenessMs ?? 0, result.slowMs);
    return result;
  };
  return {
    staleness,
    summary() {
      const now = staleness();
      return { fast: summariseGroup(fast, now.fastMs), slow: slow.monitors.length > 0 ? summariseGroup(slow, now.slowMs) : null };
    },
    close: () => closeAll([fast, slow], links),
  };
}

async function closeAll(groups: Group[], links: SlowLink[]): Promise<void> {
  for (const group of groups) for (const monitor of group.monitors) monitor.socket.terminate();
  await Promise.all(links.map((link) => link.close()));
}
