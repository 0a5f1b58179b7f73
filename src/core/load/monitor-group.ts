import { LatencyRecorder } from './latency.js';
import type { MonitorGroupSummary } from '../../results/load.js';

/** One dashboard connection, as the fleet (monitor-fleet.ts) sees it. */
export interface Monitor {
  /** Producer timestamp of the newest data received; null before the first push that carried one. */
  newest: number | null;
  closed: boolean;
  close(): void;
}

/** A group of monitors (fast or slow) and what they received. */
export interface MonitorGroup {
  monitors: Monitor[];
  messages: number;
  bytes: number;
  latency: LatencyRecorder;
  maxStalenessMs: number | null;
}

export function emptyGroup(): MonitorGroup {
  return { monitors: [], messages: 0, bytes: 0, latency: new LatencyRecorder(), maxStalenessMs: null };
}

/**
 * One message a monitor of `group` received: counted, and when it carries a producer timestamp,
 * its delivery latency recorded (a timestamp ahead of the clock counts as 0) and the monitor's
 * newest moved on.
 */
export function recordPush(group: MonitorGroup, monitor: Monitor, bytes: number, newest: number | null, receivedAt: number): void {
  group.messages += 1;
  group.bytes += bytes;
  if (newest === null) return;
  group.latency.recordMs(Math.max(0, receivedAt - newest));
  if (monitor.newest === null || newest > monitor.newest) monitor.newest = newest;
}

export function summariseGroup(group: MonitorGroup, finalMs: number | null): MonitorGroupSummary {
  return {
    clients: group.monitors.length,
    disconnected: group.monitors.filter((monitor) => monitor.closed).length,
    messages: group.messages,
    bytes: group.bytes,
    deliveryLatency: group.latency.summary(),
    finalStalenessMs: finalMs === null ? null : Math.round(finalMs),
    maxStalenessMs: group.maxStalenessMs === null ? null : Math.round(group.maxStalenessMs),
  };
}
