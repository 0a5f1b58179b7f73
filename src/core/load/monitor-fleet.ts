import { emptyGroup, recordPush, summariseGroup, type Monitor, type MonitorGroup } from './monitor-group.js';
import { startSlowLink, type SlowLink } from './slow-link.js';
import type { StalenessReading } from './staleness.js';
import type { MonitorGroupSummary } from '../../results/load.js';

/** Records one message a monitor received: its size, the newest producer timestamp in it (null: none), when it arrived. */
export type RecordPush = (monitor: Monitor, bytes: number, newest: number | null, receivedAt: number) => void;

export interface FleetOptions {
  clients: number;
  /** The first `slowClients` monitors connect through a SlowLink reading `slowReadBytesPerSec`. */
  slowClients: number;
  slowReadBytesPerSec: number;
  /** The server the slow links relay to. */
  upstream: { host: string; port: number };
  /** Opens one monitor, directly or (relayPort) through a slow link on 127.0.0.1; `record` counts what it receives. */
  open(relayPort: number | null, record: RecordPush): { monitor: Monitor; opened: Promise<void> };
  /** The clock the producers' timestamps are on: staleness is now() − the newest timestamp a monitor holds. */
  now(): number;
}

export interface MonitorFleet {
  /** Worst staleness per group now (ms), null when the group has received nothing or is empty. */
  staleness(): StalenessReading;
  /** Monitors whose connection has closed (the server may have died). */
  disconnected(): number;
  summary(): { fast: MonitorGroupSummary; slow: MonitorGroupSummary | null };
  close(): Promise<void>;
}

/**
 * The dashboards of flood and flood --target: `clients` monitors in a fast and a slow group, the
 * slow ones behind a SlowLink so the server's send buffers really fill. Resolves once every
 * monitor is open; on any failure closes what it opened and rejects.
 */
export async function connectFleet(options: FleetOptions): Promise<MonitorFleet> {
  const links: SlowLink[] = [];
  const fast = emptyGroup();
  const slow = emptyGroup();
  const opened: Promise<void>[] = [];
  try {
    for (let i = 0; i < options.clients; i += 1) {
      const isSlow = i < options.slowClients;
      let relayPort: number | null = null;
      if (isSlow) {
        const link = await startSlowLink(options.upstream.port, options.slowReadBytesPerSec, options.upstream.host);
        links.push(link);
        relayPort = link.port;
      }
      const group = isSlow ? slow : fast;
      const { monitor, opened: open } = options.open(relayPort, (...push) => recordPush(group, ...push));
      group.monitors.push(monitor);
      opened.push(open);
    }
    await Promise.all(opened);
  } catch (error) {
    await closeAll([fast, slow], links);
    throw error;
  }

  const staleness = () => {
    const now = options.now();
    return { fastMs: worstStaleness(fast, now), slowMs: worstStaleness(slow, now) };
  };
  return {
    staleness,
    disconnected: () => [...fast.monitors, ...slow.monitors].filter((monitor) => monitor.closed).length,
    summary() {
      const now = staleness();
      return { fast: summariseGroup(fast, now.fastMs), slow: slow.monitors.length > 0 ? summariseGroup(slow, now.slowMs) : null };
    },
    close: () => closeAll([fast, slow], links),
  };
}

/** The group's worst monitor now (null: none has received anything), kept as the group's maximum too. */
function worstStaleness(group: MonitorGroup, now: number): number | null {
  let worstMs: number | null = null;
  for (const monitor of group.monitors) if (monitor.newest !== null) worstMs = Math.max(worstMs ?? 0, now - monitor.newest);
  if (worstMs !== null) group.maxStalenessMs = Math.max(group.maxStalenessMs ?? 0, worstMs);
  return worstMs;
}

async function closeAll(groups: MonitorGroup[], links: SlowLink[]): Promise<void> {
  for (const group of groups) for (const monitor of group.monitors) monitor.close();
  await Promise.all(links.map((link) => link.close()));
}
