import { STRATEGY_NAMES } from '../flood/strategies/index.js';
import type { FloodOptions } from '../flood/result.js';
import { UsageError } from '../lib/errors.js';
import { parseBytes, parseChoice, parseDuration, parseInteger, parseNumber } from '../lib/validate.js';

/** Raw strings from commander for `imdiag flood`. */
export interface RawFloodOptions {
  rate?: string;
  producers?: string;
  payload?: string;
  clients?: string;
  slowClients?: string;
  slowRead?: string;
  duration?: string;
  interval?: string;
  highWater?: string;
  strategy?: string;
  compare?: boolean;
  maxOldSpaceSize?: string;
}

/** Defaults: a Spider-like load (tens of producers POSTing, one dashboard on a weak link). */
export const FLOOD_DEFAULTS = {
  rate: '50',
  producers: '10',
  payload: '1kb',
  clients: '5',
  slowClients: '1',
  slowRead: '64kb',
  duration: '30s',
  interval: '5s',
  highWater: '1mb',
  strategy: 'per-message',
} as const;

const KB = 1024;
const MB = 1024 * 1024;

/** Pure: raw flags → FloodOptions, or a one-line UsageError naming the flag and the allowed range. */
export function validateFloodOptions(raw: RawFloodOptions): FloodOptions {
  const clients = parseInteger('--clients', raw.clients ?? FLOOD_DEFAULTS.clients, 1, 500);
  const slowClients = parseInteger('--slow-clients', raw.slowClients ?? FLOOD_DEFAULTS.slowClients, 0, 500);
  if (slowClients > clients) throw new UsageError(`--slow-clients must not exceed --clients (${clients}), got ${slowClients}`);
  if (raw.compare && raw.strategy !== undefined) throw new UsageError('--strategy and --compare exclude each other: --compare runs every strategy');
  const strategies = raw.compare ? [...STRATEGY_NAMES] : [parseChoice('--strategy', raw.strategy ?? FLOOD_DEFAULTS.strategy, STRATEGY_NAMES)];
  return {
    rate: parseNumber('--rate', raw.rate ?? FLOOD_DEFAULTS.rate, 0.1, 50_000),
    producers: parseInteger('--producers', raw.producers ?? FLOOD_DEFAULTS.producers, 1, 1000),
    // The server refuses bodies over 1 MB.
    payloadBytes: parseBytes('--payload', raw.payload ?? FLOOD_DEFAULTS.payload, 64, 512 * KB),
    clients,
    slowClients,
    slowReadBytesPerSec: parseBytes('--slow-read', raw.slowRead ?? FLOOD_DEFAULTS.slowRead, KB, 1024 * MB),
    durationMs: parseDuration('--duration', raw.duration ?? FLOOD_DEFAULTS.duration, 1000, 2 * 3_600_000),
    intervalMs: parseDuration('--interval', raw.interval ?? FLOOD_DEFAULTS.interval, 10, 10 * 60_000),
    highWaterBytes: parseBytes('--high-water', raw.highWater ?? FLOOD_DEFAULTS.highWater, KB, 1024 * MB),
    strategies,
    maxOldSpaceSizeMB: raw.maxOldSpaceSize === undefined ? null : parseInteger('--max-old-space-size', raw.maxOldSpaceSize, 16, 65_536),
  };
}
