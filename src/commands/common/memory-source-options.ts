import { isLoopbackHost, parseHostPort } from '../../lib/inspector/address.js';
import { UsageError } from '../../lib/errors.js';
import { parseBytes, parseDuration, parseInteger } from '../../lib/validate.js';
import type { SourceSpec } from '../../core/memory/sources/types.js';

/**
 * The memory-source flags `imdiag watch` and `imdiag flood --target` share: where a live
 * process's memory is read from, and the limits its time to out-of-memory is projected to.
 */
export interface RawMemorySourceOptions {
  inspect?: string;
  pid?: string;
  openInspector?: boolean;
  metrics?: string;
  forceGcEvery?: string;
  heapLimit?: string;
  memoryLimit?: string;
  allowRemote?: boolean;
}

export interface MemorySourceOptions {
  spec: SourceSpec;
  /** `127.0.0.1:9229`, `4242` or the URL, for results. */
  target: string;
  forceGcEveryMs: number | null;
  heapLimitBytes: number | null;
  memoryLimitBytes: number | null;
}

/** commander flags and help, for the commands that read a live process's memory. */
export const MEMORY_SOURCE_FLAGS: readonly (readonly [string, string])[] = [
  ['--inspect <host:port>', "read the heap through the process's inspector (node --inspect=127.0.0.1:9229), e.g. 127.0.0.1:9229"],
  ['--pid <n>', "read a local process's RSS from /proc; with --open-inspector, a Node process's heap"],
  ['--open-inspector', "with --pid: open the Node process's inspector with SIGUSR1 (checked to be a Node process first)"],
  ['--metrics <url>', "read prom-client's default metrics (nodejs_heap_size_used_bytes, …) from a Prometheus page"],
  [
    '--force-gc-every <time>',
    'inspector only: a full collection (HeapProfiler.collectGarbage) before a reading this often, e.g. 2s; changes the target (default: off)',
  ],
  ['--heap-limit <size>', "heap size the process dies at, e.g. 1536mb (default: its --max-old-space-size, else Node's default)"],
  ['--memory-limit <size>', "resident memory the process dies at, e.g. 2gb (default: its cgroup's limit, else the machine's memory)"],
  ['--allow-remote', 'allow an inspector or metrics page on another machine (default: loopback only)'],
];

const MB = 1024 * 1024;
/** Linux's largest pid_max. */
const PID_MAX = 4_194_304;

export function validateMemorySourceOptions(raw: RawMemorySourceOptions, required = true): MemorySourceOptions | null {
  const given = (['inspect', 'pid', 'metrics'] as const).filter((name) => raw[name] !== undefined);
  if (given.length > 1)
    throw new UsageError(`--inspect, --pid and --metrics exclude each other: give one memory source, got ${given.map((name) => `--${name}`).join(' and ')}`);
  if (raw.openInspector && raw.pid === undefined) throw new UsageError("--open-inspector needs --pid: it opens that process's inspector");
  if (given.length === 0) {
    if (required) throw new UsageError('give a memory source: --inspect HOST:PORT, --pid N (with --open-inspector for the heap) or --metrics URL');
    if (raw.forceGcEvery !== undefined) throw new UsageError('--force-gc-every needs a memory source (--inspect or --pid with --open-inspector)');
    return null;
  }
  const allowRemote = raw.allowRemote === true;
  const inspectorSource = raw.inspect !== undefined || raw.openInspector === true;
  if (raw.forceGcEvery !== undefined && !inspectorSource) {
    throw new UsageError('--force-gc-every needs the inspector (--inspect, or --pid with --open-inspector); --pid alone and --metrics cannot collect garbage');
  }
  const forceGcEveryMs = raw.forceGcEvery === undefined ? null : parseDuration('--force-gc-every', raw.forceGcEvery, 100, 3_600_000);
  const limits = {
    forceGcEveryMs,
    heapLimitBytes: raw.heapLimit === undefined ? null : parseBytes('--heap-limit', raw.heapLimit, 16 * MB, 2 ** 40),
    memoryLimitBytes: raw.memoryLimit === undefined ? null : parseBytes('--memory-limit', raw.memoryLimit, 16 * MB, 2 ** 44),
  };
  if (raw.inspect !== undefined) {
    const address = parseHostPort('--inspect', raw.inspect, allowRemote);
    return { spec: { kind: 'inspector', address, forceGcEveryMs }, target: raw.inspect.trim(), ...limits };
  }
  if (raw.pid !== undefined) {
    const pid = parseInteger('--pid', raw.pid, 1, PID_MAX);
    return { spec: { kind: 'pid', pid, openInspector: raw.openInspector === true, forceGcEveryMs }, target: String(pid), ...limits };
  }
  const url = parseMetricsUrl(raw.metrics!, allowRemote);
  return { spec: { kind: 'metrics', url }, target: url, ...limits };
}

function parseMetricsUrl(raw: string, allowRemote: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--metrics must be an http:// or https:// URL such as http://127.0.0.1:3000/metrics, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--metrics must be an http:// or https:// URL, got '${raw}'`);
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`--metrics ${url.hostname} is not a loopback address; add --allow-remote to read another machine's metrics`);
  }
  return url.toString();
}
