import { readFileSync } from 'node:fs';
import { parseConditions, type Condition } from '../../lib/conditions.js';
import { UsageError } from '../../lib/errors.js';
import type { FlagSpec } from '../../lib/flags.js';
import { parseBytes, parseChoice, parseDuration, parseInteger, parseNumber } from '../../lib/validate.js';
import { DEFAULT_BODY, compileBody, placeholdersIn } from '../../engines/flood-target/body.js';
import { parseTargetUrl } from './address.js';
import type { FloodTargetParams, MonitorSpec } from '../../results/flood-target.js';
import { TARGET_CONDITIONS } from '../../engines/flood-target/conditions.js';
import { LEAK_COOLDOWN_MS } from '../../engines/flood-target/cooldown.js';
import { FLOOD_DEFAULTS, type RawFloodOptions } from '../flood/options.js';
import { validateMemorySourceOptions, type RawMemorySourceOptions } from '../common/memory-source-options.js';
import { LEAK_HANDOFF_ENV } from '../../core/leak/handoff.js';

/** `imdiag flood --target …`: the flags of target mode, raw from commander. */
export interface RawFloodTargetOptions extends RawFloodOptions, RawMemorySourceOptions {
  target?: string;
  method?: string;
  body?: string;
  header?: string[];
  connections?: string;
  ws?: string;
  socketIo?: string;
  event?: string;
  failOn?: string;
  leak?: boolean;
}

/** The simulator's own flags: with --target the strategy is the target's, so these do not apply. */
const SIMULATOR_ONLY = [
  ['strategy', '--strategy'],
  ['compare', '--compare'],
  ['interval', '--interval'],
  ['highWater', '--high-water'],
  ['maxOldSpaceSize', '--max-old-space-size'],
  ['payload', '--payload'],
] as const;

const MB = 1024 * 1024;

/** Pure apart from reading --body FILE: raw flags (and whether imdiag leak runs this) → FloodTargetParams and the --fail-on conditions, or a one-line UsageError. */
export function validateFloodTargetOptions(
  raw: RawFloodTargetOptions,
  env: NodeJS.ProcessEnv = process.env,
): { params: FloodTargetParams; conditions: Condition[] } {
  for (const [key, flag] of SIMULATOR_ONLY) {
    if (raw[key] !== undefined)
      throw new UsageError(`${flag} does not apply with --target: the target pushes its own way (--body sets what the producers send)`);
  }
  const allowRemote = raw.allowRemote === true;
  const target = parseTargetUrl('--target', raw.target ?? '', ['http:', 'https:'], allowRemote);
  const monitor = monitorSpec(raw, allowRemote);
  if (!monitor && (raw.clients !== undefined || raw.slowClients !== undefined))
    throw new UsageError('--clients and --slow-clients need --ws URL or --socket-io URL: where the monitors connect');
  const clients = monitor ? parseInteger('--clients', raw.clients ?? FLOOD_DEFAULTS.clients, 1, 500) : 0;
  const slowClients = monitor ? parseInteger('--slow-clients', raw.slowClients ?? FLOOD_DEFAULTS.slowClients, 0, 500) : 0;
  if (slowClients > clients) throw new UsageError(`--slow-clients must not exceed --clients (${clients}), got ${slowClients}`);
  // The same memory-source flags as `imdiag watch`; optional here (the load runs without one).
  const memory = validateMemorySourceOptions(raw, false);
  // An inspector session of flood's own on leak's target would reset, when it closes, the heap object ids leak compares (src/core/heapsnapshot/capture-session.ts).
  if (env[LEAK_HANDOFF_ENV] && (memory?.spec.kind === 'inspector' || (memory?.spec.kind === 'pid' && memory.spec.openInspector)))
    throw new UsageError(
      `${raw.inspect !== undefined ? '--inspect' : '--open-inspector'} under imdiag leak --during: closing flood's own inspector session would reset the heap object ids leak compares; leave it out (leak reads the target's heap itself)`,
    );
  if (raw.leak && memory?.spec.kind !== 'inspector' && !(memory?.spec.kind === 'pid' && memory.spec.openInspector))
    throw new UsageError("--leak needs the target's inspector: --inspect HOST:PORT, or --pid N with --open-inspector");
  if (raw.leak && memory?.forceGcEveryMs != null)
    throw new UsageError('--leak and --force-gc-every exclude each other: a forced collection while tracking strips survivors of their allocation stacks');
  const conditions = raw.failOn === undefined ? [] : parseConditions('--fail-on', raw.failOn, TARGET_CONDITIONS);
  const params: FloodTargetParams = {
    target: target.href,
    method: parseChoice('--method', (raw.method ?? 'POST').toUpperCase(), ['POST', 'PUT'] as const),
    headers: (raw.header ?? []).map(parseHeader),
    body: body(raw.body),
    rate: parseNumber('--rate', raw.rate ?? FLOOD_DEFAULTS.rate, 0.1, 50_000),
    producers: parseInteger('--producers', raw.producers ?? FLOOD_DEFAULTS.producers, 1, 1000),
    connections: parseInteger('--connections', raw.connections ?? '1', 1, 64),
    monitor,
    clients,
    slowClients,
    slowReadBytesPerSec: parseBytes('--slow-read', raw.slowRead ?? FLOOD_DEFAULTS.slowRead, 1024, 1024 * MB),
    // Bounded: a load run against a real server always ends by itself.
    durationMs: parseDuration('--duration', raw.duration ?? FLOOD_DEFAULTS.duration, 1000, 2 * 3_600_000),
    memory: memory?.spec ?? null,
    heapLimitBytes: memory?.heapLimitBytes ?? null,
    memoryLimitBytes: memory?.memoryLimitBytes ?? null,
    allowRemote,
    leak: raw.leak === true,
    failOn: conditions.map((condition) => condition.text),
  };
  return { params, conditions };
}

function monitorSpec(raw: RawFloodTargetOptions, allowRemote: boolean): MonitorSpec | null {
  if (raw.ws !== undefined && raw.socketIo !== undefined) throw new UsageError('--ws and --socket-io exclude each other: the monitors speak one protocol');
  if (raw.event !== undefined && raw.socketIo === undefined)
    throw new UsageError('--event names the socket.io event the monitors count; it needs --socket-io URL');
  if (raw.ws !== undefined) return { kind: 'ws', url: parseTargetUrl('--ws', raw.ws, ['ws:', 'wss:'], allowRemote).href };
  if (raw.socketIo !== undefined) {
    const url = parseTargetUrl('--socket-io', raw.socketIo, ['http:', 'https:', 'ws:', 'wss:'], allowRemote);
    if (raw.event === undefined || !/^[\w.:-]{1,100}$/.test(raw.event))
      throw new UsageError(`--socket-io needs --event NAME, the event the monitors count (letters, digits, . : _ -), got '${raw.event ?? ''}'`);
    return { kind: 'socket.io', url: url.href, event: raw.event };
  }
  return null;
}

function parseHeader(raw: string): [string, string] {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(raw);
  if (!match) throw new UsageError(`--header must be 'Name: value', got '${raw}'`);
  return [match[1]!, match[2]!];
}

function body(raw: string | undefined): FloodTargetParams['body'] {
  if (raw === undefined) return { from: 'default', file: null, template: DEFAULT_BODY, placeholders: placeholdersIn(DEFAULT_BODY) };
  const inline = /^\s*[[{]/.test(raw);
  let template = raw;
  if (!inline) {
    try {
      template = readFileSync(raw, 'utf8');
    } catch (error) {
      throw new UsageError(`--body must be JSON ({…} or […]) or a readable file, got '${raw}' (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  try {
    JSON.parse(compileBody(template)({ now: 0, seq: 0 }));
  } catch {
    throw new UsageError(`--body ${inline ? 'JSON' : raw} is not valid JSON once {{now}}, {{seq}} and {{rand}} are filled in`);
  }
  return { from: inline ? 'inline' : 'file', file: inline ? null : raw, template, placeholders: placeholdersIn(template) };
}

const TARGET_ONLY = [
  ['method', '--method'],
  ['body', '--body'],
  ['header', '--header'],
  ['connections', '--connections'],
  ['ws', '--ws'],
  ['socketIo', '--socket-io'],
  ['event', '--event'],
  ['inspect', '--inspect'],
  ['pid', '--pid'],
  ['openInspector', '--open-inspector'],
  ['metrics', '--metrics'],
  ['forceGcEvery', '--force-gc-every'],
  ['heapLimit', '--heap-limit'],
  ['memoryLimit', '--memory-limit'],
  ['allowRemote', '--allow-remote'],
  ['failOn', '--fail-on'],
  ['leak', '--leak'],
] as const;

/** In simulator mode (no --target) the target's flags are usage errors, not silently ignored. */
export function rejectTargetFlags(raw: RawFloodTargetOptions): void {
  for (const [key, flag] of TARGET_ONLY) {
    if (raw[key] !== undefined) throw new UsageError(`${flag} needs --target URL (it applies to your own server, not to the simulator)`);
  }
}

/** The flags of target mode, as --help shows them (the memory source's come from memory-source-options.ts). */
export const FLOOD_TARGET_FLAGS: FlagSpec[] = [
  {
    flags: '--target <url>',
    description: 'your server instead of the simulator: producers send here, e.g. http://127.0.0.1:3000/api/data (loopback unless --allow-remote)',
  },
  { flags: '--method <method>', description: 'with --target: the request method', default: 'POST', allowed: 'POST, PUT' },
  {
    flags: '--body <json|file>',
    description: 'with --target: the request body, JSON or a file; {{now}} (epoch ms), {{seq}} and {{rand}} are filled in per request',
    default: 'a Spider-like timing sample',
  },
  // Variadic so that it repeats: `--header 'A: 1' --header 'B: 2'`.
  { flags: '--header <header...>', description: "with --target: a request header 'Name: value', repeatable" },
  { flags: '--connections <n>', description: 'with --target: keep-alive connections per producer', default: 1, allowed: '1-64' },
  { flags: '--ws <url>', description: 'with --target: the monitors are plain WebSocket clients of this URL, e.g. ws://127.0.0.1:3000/live' },
  { flags: '--socket-io <url>', description: 'with --target: the monitors are socket.io clients of this server (WebSocket transport)' },
  { flags: '--event <name>', description: 'with --socket-io: the event the monitors count, e.g. chart' },
  {
    flags: '--leak',
    description: `with --target and the inspector: imdiag leak's analysis around the load (baseline before the producers start, a mark when they stop, the final snapshot after a ${LEAK_COOLDOWN_MS / 1000} s cooldown): what it allocated that is still alive, by allocation site and retainer path`,
  },
  { flags: '--allow-remote', description: 'with --target: allow a target, monitors, inspector or metrics page that are not on loopback' },
  {
    flags: '--fail-on <conditions>',
    description: 'with --target: exit 1 when any holds',
    allowed: [...TARGET_CONDITIONS.verdicts, ...Object.keys(TARGET_CONDITIONS.figures).map((figure) => `${figure}>…`)].join(', '),
  },
];
