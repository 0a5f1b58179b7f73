import { STRATEGY_NAMES } from '../../engines/flood/strategies/index.js';
import type { FloodOptions } from '../../results/flood.js';
import { UsageError } from '../../lib/errors.js';
import { rangeText, type FlagSpec } from '../../lib/flags.js';
import { bytes } from '../../lib/format.js';
import { formatDuration, parseBytes, parseChoice, parseDuration, parseInteger, parseNumber } from '../../lib/validate.js';

const KB = 1024;
const MB = 1024 * 1024;

/** What the validator accepts; --help shows the same ranges. */
export const FLOOD_LIMITS = {
  rate: { min: 0.1, max: 50_000 },
  producers: { min: 1, max: 1000 },
  // The server refuses bodies over 1 MB.
  payloadBytes: { min: 64, max: 512 * KB },
  clients: { min: 1, max: 500 },
  slowClients: { min: 0, max: 500 },
  slowReadBytesPerSec: { min: KB, max: 1024 * MB },
  durationMs: { min: 1000, max: 2 * 3_600_000 },
  intervalMs: { min: 10, max: 10 * 60_000 },
  highWaterBytes: { min: KB, max: 1024 * MB },
  maxOldSpaceSizeMB: { min: 16, max: 65_536 },
} as const;

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

export const FLOOD_FLAGS: FlagSpec[] = [
  { flags: '--rate <n>', description: 'POSTs per second in total, over all producers', default: FLOOD_DEFAULTS.rate, allowed: rangeText(FLOOD_LIMITS.rate) },
  {
    flags: '--producers <n>',
    description: 'producers sharing the rate, each with its own keep-alive connections',
    default: FLOOD_DEFAULTS.producers,
    allowed: rangeText(FLOOD_LIMITS.producers),
  },
  {
    flags: '--payload <size>',
    description: 'bytes of each POST body, e.g. 512, 1kb',
    default: FLOOD_DEFAULTS.payload,
    allowed: rangeText(FLOOD_LIMITS.payloadBytes, bytes),
  },
  { flags: '--clients <n>', description: 'WebSocket monitors (dashboards)', default: FLOOD_DEFAULTS.clients, allowed: rangeText(FLOOD_LIMITS.clients) },
  {
    flags: '--slow-clients <n>',
    description: 'how many of the monitors read slowly (at most --clients)',
    default: FLOOD_DEFAULTS.slowClients,
    allowed: rangeText(FLOOD_LIMITS.slowClients),
  },
  {
    flags: '--slow-read <size>',
    description: 'bytes per second a slow monitor reads, e.g. 64kb',
    default: FLOOD_DEFAULTS.slowRead,
    allowed: rangeText(FLOOD_LIMITS.slowReadBytesPerSec, bytes),
  },
  {
    flags: '--duration <time>',
    description: 'load time per strategy: 500ms, 30s, 2m or plain seconds',
    default: FLOOD_DEFAULTS.duration,
    allowed: rangeText(FLOOD_LIMITS.durationMs, formatDuration),
  },
  {
    flags: '--interval <time>',
    description: 'push period of the interval strategy (Spider fixed it at 5s)',
    default: FLOOD_DEFAULTS.interval,
    allowed: rangeText(FLOOD_LIMITS.intervalMs, formatDuration),
  },
  {
    flags: '--high-water <size>',
    description: 'backpressure: skip a monitor whose bufferedAmount is above this',
    default: FLOOD_DEFAULTS.highWater,
    allowed: rangeText(FLOOD_LIMITS.highWaterBytes, bytes),
  },
  { flags: '--strategy <name>', description: 'push strategy', default: FLOOD_DEFAULTS.strategy, allowed: STRATEGY_NAMES.join(', ') },
  { flags: '--compare', description: 'run every strategy one after another under the same load, side by side' },
  {
    flags: '--max-old-space-size <MB>',
    description: 'heap cap of the server process',
    default: "Node's own limit",
    allowed: rangeText(FLOOD_LIMITS.maxOldSpaceSizeMB),
  },
];

/** Pure: raw flags → FloodOptions, or a one-line UsageError naming the flag and the allowed range. */
export function validateFloodOptions(raw: RawFloodOptions): FloodOptions {
  const clients = parseInteger('--clients', raw.clients ?? FLOOD_DEFAULTS.clients, FLOOD_LIMITS.clients.min, FLOOD_LIMITS.clients.max);
  const slowClients = parseInteger('--slow-clients', raw.slowClients ?? FLOOD_DEFAULTS.slowClients, FLOOD_LIMITS.slowClients.min, FLOOD_LIMITS.slowClients.max);
  if (slowClients > clients) throw new UsageError(`--slow-clients must not exceed --clients (${clients}), got ${slowClients}`);
  if (raw.compare && raw.strategy !== undefined) throw new UsageError('--strategy and --compare exclude each other: --compare runs every strategy');
  const strategies = raw.compare ? [...STRATEGY_NAMES] : [parseChoice('--strategy', raw.strategy ?? FLOOD_DEFAULTS.strategy, STRATEGY_NAMES)];
  return {
    rate: parseNumber('--rate', raw.rate ?? FLOOD_DEFAULTS.rate, FLOOD_LIMITS.rate.min, FLOOD_LIMITS.rate.max),
    producers: parseInteger('--producers', raw.producers ?? FLOOD_DEFAULTS.producers, FLOOD_LIMITS.producers.min, FLOOD_LIMITS.producers.max),
    payloadBytes: parseBytes('--payload', raw.payload ?? FLOOD_DEFAULTS.payload, FLOOD_LIMITS.payloadBytes.min, FLOOD_LIMITS.payloadBytes.max),
    clients,
    slowClients,
    slowReadBytesPerSec: parseBytes(
      '--slow-read',
      raw.slowRead ?? FLOOD_DEFAULTS.slowRead,
      FLOOD_LIMITS.slowReadBytesPerSec.min,
      FLOOD_LIMITS.slowReadBytesPerSec.max,
    ),
    durationMs: parseDuration('--duration', raw.duration ?? FLOOD_DEFAULTS.duration, FLOOD_LIMITS.durationMs.min, FLOOD_LIMITS.durationMs.max),
    intervalMs: parseDuration('--interval', raw.interval ?? FLOOD_DEFAULTS.interval, FLOOD_LIMITS.intervalMs.min, FLOOD_LIMITS.intervalMs.max),
    highWaterBytes: parseBytes('--high-water', raw.highWater ?? FLOOD_DEFAULTS.highWater, FLOOD_LIMITS.highWaterBytes.min, FLOOD_LIMITS.highWaterBytes.max),
    strategies,
    maxOldSpaceSizeMB:
      raw.maxOldSpaceSize === undefined
        ? null
        : parseInteger('--max-old-space-size', raw.maxOldSpaceSize, FLOOD_LIMITS.maxOldSpaceSizeMB.min, FLOOD_LIMITS.maxOldSpaceSizeMB.max),
  };
}
