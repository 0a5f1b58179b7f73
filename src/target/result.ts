import type { LatencySummary } from '../flood/result.js';

/** Where the monitors connect: plain WebSocket (--ws) or socket.io (--socket-io, counting --event). */
export type MonitorSpec = { kind: 'ws'; url: string } | { kind: 'socket.io'; url: string; event: string };

/** The producers' figures against a real target (ProducerSummary of the simulator, plus what a real server answers). */
export interface TargetProducerSummary {
  /** Requests per second asked for; null: as fast as the connections allow (benchmark only). */
  askedRate: number | null;
  /** Sends the fixed-rate schedule called for during the run. */
  scheduled: number;
  /** Requests actually started, and how they ended (ok: a 2xx status). */
  sent: number;
  ok: number;
  failed: number;
  /** Scheduled sends not made: the producer already had MAX_IN_FLIGHT requests open. */
  missed: number;
  /** Sends that started more than lateThresholdMs after their scheduled time. */
  late: number;
  lateThresholdMs: number;
  achievedRate: number;
  /** At least 99 % of the scheduled sends were made and succeeded. */
  keptRate: boolean;
  postLatency: LatencySummary | null;
  startLag: LatencySummary | null;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Requests that got no response, by error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …). */
  errors: Record<string, number>;
}
