import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LeakParams } from '../../engines/leak/run.js';
import { parseConditions, type Condition, type ConditionVocabulary } from '../../lib/conditions.js';
import { UsageError } from '../../lib/errors.js';
import type { FlagSpec } from '../../lib/flags.js';
import { parseHostPort } from '../../lib/inspector/address.js';
import { parseDuration, parseInteger } from '../../lib/validate.js';

/** Raw strings from commander for `imdiag leak`. */
export interface RawLeakOptions {
  inspect?: string;
  pid?: string;
  openInspector?: boolean;
  allowRemote?: boolean;
  during?: string;
  duration?: string;
  repeat?: string;
  settle?: string;
  sampling?: boolean;
  top?: string;
  force?: boolean;
  keepSnapshot?: string;
  failOn?: string;
}

export interface LeakOptions {
  params: LeakParams;
  /** `127.0.0.1:9229` or `pid 4242`, for results. */
  target: string;
  failOn: Condition[];
}

export const LEAK_LIMITS = {
  repeat: { min: 1, max: 100, default: 1 },
  settle: { minMs: 0, maxMs: 10 * 60_000, default: '10s' },
  duration: { minMs: 1_000, maxMs: 24 * 3_600_000 },
  top: { min: 1, max: 100, default: 10 },
};

/**
 * What each mode cost the target in `npm run bench:leak` (its CPU ms per request at 50 requests/s,
 * median and range of 4 runs of 10 s, Node 20.20, 2 cores at load average 0.6-1.3, tracking with its
 * sampler every ~1 KB); the README gives the same figures.
 */
export const LEAK_COST =
  "npm run bench:leak, the target's CPU ms per request at 50 req/s, median of 4 runs: untracked 0.46 (0.44-0.56), --sampling 0.52 (0.50-0.62, ×1.1), tracking 6.0 (6.0-6.9, ×13)";

/** What `--fail-on` may name: leaked bytes (sites above the noise floor that grow), their growth per repetition, all survivors. */
export const LEAK_CONDITIONS: ConditionVocabulary = {
  figures: { leaked: 'bytes', 'leaked-per-repetition': 'bytes', survivors: 'bytes' },
  verdicts: ['leaking'],
};

/** Pure apart from looking at --keep-snapshot: raw flags → LeakOptions, or a one-line UsageError. */
export function validateLeakOptions(raw: RawLeakOptions): LeakOptions {
  if ((raw.pid === undefined) === (raw.inspect === undefined)) throw new UsageError('leak needs one of --pid N --open-inspector or --inspect HOST:PORT');
  if (raw.pid !== undefined && !raw.openInspector) {
    throw new UsageError('--pid needs --open-inspector for leak: allocations are tracked through the inspector, which SIGUSR1 opens');
  }
  if (raw.openInspector && raw.pid === undefined) throw new UsageError("--open-inspector needs --pid: it opens that process's inspector");
  if ((raw.during === undefined) === (raw.duration === undefined)) {
    throw new UsageError(
      "leak needs one workload: --during 'COMMAND' (a shell command run between the snapshots) or --duration TIME (the target's own traffic)",
    );
  }
  if (raw.during !== undefined && raw.during.trim() === '')
    throw new UsageError("--during needs a shell command, e.g. --during 'npx autocannon -d 20 http://127.0.0.1:3000/'");
  const from: LeakParams['from'] =
    raw.inspect !== undefined
      ? { kind: 'inspector', address: parseHostPort('--inspect', raw.inspect, raw.allowRemote === true) }
      : { kind: 'pid', pid: parseInteger('--pid', raw.pid, 1, 4_194_304) };
  let keepSnapshot: string | null = null;
  if (raw.keepSnapshot !== undefined) {
    keepSnapshot = resolve(raw.keepSnapshot);
    if (existsSync(keepSnapshot)) throw new UsageError(`--keep-snapshot ${raw.keepSnapshot} exists; imdiag never writes over a file: choose a new name`);
    const directory = dirname(keepSnapshot);
    if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`--keep-snapshot: the directory ${directory} does not exist`);
  }
  const { repeat, settle, duration, top } = LEAK_LIMITS;
  const repeats = parseInteger('--repeat', raw.repeat ?? repeat.default, repeat.min, repeat.max);
  const failOn = raw.failOn === undefined ? [] : parseConditions('--fail-on', raw.failOn, LEAK_CONDITIONS);
  if (repeats < 2 && failOn.some((condition) => condition.kind === 'compare' && condition.figure === 'leaked-per-repetition')) {
    throw new UsageError('--fail-on leaked-per-repetition needs --repeat 2 or more: with one repetition there is no growth per repetition');
  }
  return {
    params: {
      from,
      mode: raw.sampling ? 'sampling' : 'tracking',
      workload:
        raw.during !== undefined
          ? { kind: 'during', command: raw.during }
          : { kind: 'duration', ms: parseDuration('--duration', raw.duration, duration.minMs, duration.maxMs) },
      repeat: repeats,
      settleMs: parseDuration('--settle', raw.settle ?? settle.default, settle.minMs, settle.maxMs),
      force: raw.force === true,
      top: parseInteger('--top', raw.top ?? top.default, top.min, top.max),
      keepSnapshot,
    },
    target: raw.inspect ?? `pid ${raw.pid}`,
    failOn,
  };
}

/** `imdiag leak`'s flags for cli.ts and --help. */
export const LEAK_FLAGS: FlagSpec[] = [
  { flags: '--inspect <host:port>', description: "the process's inspector (node --inspect=127.0.0.1:9229)" },
  { flags: '--pid <n>', description: 'the local Node process (with --open-inspector)' },
  { flags: '--open-inspector', description: "open the process's inspector with SIGUSR1 (checked to be a Node process first)" },
  { flags: '--allow-remote', description: 'allow an inspector on another machine (default: loopback only)' },
  {
    flags: '--during <command>',
    description: 'the workload: a shell command run after the baseline, e.g. a load tool (its exit status and output tail are in the result)',
  },
  { flags: '--duration <time>', description: 'the workload: wait while the process serves its real traffic', allowed: '1s-24h' },
  {
    flags: '--repeat <n>',
    description: 'run the workload N times: what grows with each repetition stands out from caches that fill once',
    default: LEAK_LIMITS.repeat.default,
    allowed: '1-100',
  },
  {
    flags: '--settle <time>',
    description: 'wait after the workload before the final snapshot (timers, queues drain)',
    default: LEAK_LIMITS.settle.default,
    allowed: '0s-10m',
  },
  {
    flags: '--sampling',
    description: `sampling heap profiler instead of allocation tracking: cheaper on production, sites statistical, no retainer paths (${LEAK_COST})`,
  },
  { flags: '--top <n>', description: 'allocation sites and retainer paths to list', default: LEAK_LIMITS.top.default, allowed: '1-100' },
  { flags: '--keep-snapshot <file>', description: 'keep the final snapshot (with allocation stacks) for imdiag heap / DevTools' },
  { flags: '--force', description: "take the final snapshot even when the target's heap would not fit in free memory or disk" },
  { flags: '--fail-on <conditions>', description: 'exit 1 when any holds', allowed: 'leaking, leaked>SIZE, leaked-per-repetition>SIZE, survivors>SIZE' },
];
