import { runProducerLoop } from '../../core/load/producers.js';
import type { BodyTemplate } from './body.js';
import type { TargetProducerSummary } from '../../results/flood-target.js';
import type { RequestSender, SendOutcome } from './senders.js';

export interface TargetProducerOptions {
  /** Requests per second over all producers; null: as fast as the connections allow (closed loop, for the benchmark). */
  rate: number | null;
  durationMs: number;
  /** One sender per producer; sends go round-robin over them. */
  senders: RequestSender[];
  /** Requests each producer keeps open in the closed loop (its connections). */
  connections: number;
  body: BodyTemplate;
  signal: AbortSignal;
  /** Called on every finished request (the engine watches for a target that stopped answering). */
  onOutcome?: (outcome: SendOutcome) => void;
}

/**
 * Sends to the target through the one producer loop (src/core/load/producers.ts: fixed rate, no
 * coordinated omission, MAX_IN_FLIGHT, drain), with undici senders. Success is any 2xx status;
 * the summary adds the responses by status and the failures by error code.
 */
export async function runTargetProducers(options: TargetProducerOptions): Promise<TargetProducerSummary> {
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let seq = 0;
  const { stillOpen, ...loop } = await runProducerLoop<SendOutcome>({
    producers: options.senders.length,
    rate: options.rate,
    connections: options.connections,
    durationMs: options.durationMs,
    signal: options.signal,
    send: (producer, _sentAt, done) => options.senders[producer]!.send(options.body({ now: Date.now(), seq: seq++ }), done),
    succeeded: (outcome) => typeof outcome === 'number' && outcome >= 200 && outcome < 300,
    onOutcome(outcome) {
      if (typeof outcome === 'number') statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      else {
        const key = errorKey(outcome);
        errors[key] = (errors[key] ?? 0) + 1;
      }
      options.onOutcome?.(outcome);
    },
  });
  // Requests still open at the end count as failed (timed out at the end of the run).
  if (stillOpen > 0) errors['still open at the end'] = stillOpen;
  return { askedRate: options.rate, ...loop, statuses, errors };
}

function errorKey(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message.slice(0, 80);
}
