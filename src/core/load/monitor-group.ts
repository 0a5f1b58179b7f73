import { LatencyRecorder } from './latency.js';
import type { MonitorGroupSummary } from '../../results/flood.js';

/**
 * A group of monitors (fast or slow) and what they received: shared by the simulator's fleet
 * (src/engines/flood/monitors.ts) and the one `flood --target` connects to a user's server.
 */
export interface MonitorGroup<M extends { closed: boolean }> {
  monitors: M[];
  messages: number;
  bytes: number;
  latency: LatencyRecorder;
  maxStalenessMs: number | null;
}

export function emptyGroup<M extends { closed: boolean }>(): MonitorGroup<M> {
  return { monitors: [], messages: 0, bytes: 0, latency: new LatencyRecorder(), maxStalenessMs: null };
}

export function summariseGroup(group: MonitorGroup<{ closed: boolean }>, finalMs: number | null): MonitorGroupSummary {
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
