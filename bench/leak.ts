/**
 * `npm run bench:leak`: what `imdiag leak`'s two modes cost the target, as the target's CPU
 * milliseconds per request at a fixed request rate well below saturation: without tracking, with
 * the sampling heap profiler (`--sampling`: HeapProfiler.startSampling, a sample every ~32 KB), with
 * allocation tracking (HeapProfiler.startTrackingHeapObjects with trackAllocations) and the sampler
 * beside it every --tracking-interval bytes (as imdiag leak runs it), and with the tracker alone. On two
 * shared cores a request rate with the load tool beside the server measures contention, not cost:
 * the target's own CPU time (utime + stime from /proc/PID/stat) over the requests it answered does
 * not depend on who else runs. Each run is a fresh target: a warm-up, the mode switched on through
 * the inspector, then the measured window at the fixed rate; the modes alternate round by round.
 *
 *   npm run bench:leak -- [--runs 5] [--rate 50] [--window 10s] [--tracking-interval 1024]   (--help lists the flags)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { collectEnvironment } from '../src/lib/environment.js';
import { connectInspector, type InspectorSession } from '../src/lib/inspector/client.js';
import { SAMPLING_INTERVAL_BYTES, TRACKING_SAMPLING_INTERVAL_BYTES } from '../src/core/leak/sampled-sites.js';
import { benchArgs, flag } from './args.js';
import { median } from './stats.js';

const values = benchArgs(
  {
    name: 'bench:leak',
    about: "imdiag leak's cost to the target: its CPU ms per request at a fixed rate, without tracking, with --sampling, with allocation tracking.",
  },
  {
    runs: flag.integer('runs per mode (alternated)', 5, 1, 50),
    rate: flag.number('requests per second, well below saturation in every mode', 50, 1, 2_000),
    window: flag.duration('the measured load per run', '10s', 2_000, 600_000),
    warmup: flag.duration('load before the mode is switched on', '2s', 0, 60_000),
    'tracking-interval': flag.integer(
      "the sampler's interval beside the tracker, bytes (imdiag's: TRACKING_SAMPLING_INTERVAL_BYTES)",
      TRACKING_SAMPLING_INTERVAL_BYTES,
      512,
      1 << 20,
    ),
  },
);
const log = (line: string) => process.stderr.write(`${line}\n`);
// tracker-alone: the tracker without the sampler, so the sampler's own cost beside it reads off the two tracking rows.
const MODES = ['none', 'sampling', 'tracking', 'tracker-alone'] as const;
type Mode = (typeof MODES)[number];

/** A small JSON API: each request builds ~200 short-lived objects and keeps one entry in an LRU of 100 (a server's own bounded state). */
const SERVER = String.raw`
const http = require('node:http');
const cache = new Map();
http.createServer((req, res) => {
  const rows = [];
  for (let i = 0; i < 200; i++) rows.push({ id: i, name: 'item ' + i, tags: ['a', 'b', String(i % 7)], at: Date.now() });
  const body = JSON.stringify({ url: req.url, rows });
  cache.set(req.url, body.length);
  if (cache.size > 100) cache.delete(cache.keys().next().value);
  res.setHeader('content-type', 'application/json');
  res.end(body);
}).listen(0, '127.0.0.1', function () { process.stdout.write('port ' + this.address().port + '\n'); });
`;

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of a process, in ms (fields 14 and 15 of /proc/PID/stat, after the command name). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

function startTarget(): Promise<{ child: ChildProcess; port: number; inspectPort: number }> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', SERVER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = Number(/port (\d+)/.exec(out)?.[1] ?? 0);
      const inspectPort = Number(/ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err)?.[1] ?? 0);
      if (port && inspectPort) resolve({ child, port, inspectPort });
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((out += chunk), check()));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((err += chunk), check()));
    child.once('exit', () => reject(new Error(`the target exited: ${err}`)));
  });
}

/** Requests on a fixed schedule (open loop) for `ms`; resolves with how many were answered. */
async function load(port: number, rate: number, ms: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let answered = 0;
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  for (let sent = 0; performance.now() - started < ms; sent++) {
    const due = started + (sent * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      new Promise<void>((resolve) => {
        http
          .get({ host: '127.0.0.1', port, path: `/r${sent % 500}`, agent }, (response) => {
            response.resume();
            response.on('end', () => ((answered += 1), resolve()));
          })
          .on('error', () => resolve());
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return answered;
}

async function switchOn(mode: Mode, inspectPort: number): Promise<InspectorSession | null> {
  if (mode === 'none') return null;
  const session = await connectInspector({ host: '127.0.0.1', port: inspectPort });
  await session.send('HeapProfiler.enable');
  if (mode === 'sampling') await session.send('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES });
  else {
    // As imdiag leak's tracking mode runs (src/core/leak/tracking.ts): the tracker and the sampler beside it.
    await session.send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true }, 120_000);
    if (mode === 'tracking') await session.send('HeapProfiler.startSampling', { samplingInterval: values['tracking-interval'] });
  }
  return session;
}

async function oneRun(mode: Mode): Promise<{ cpuMsPerRequest: number; answered: number }> {
  const target = await startTarget();
  try {
    await load(target.port, values.rate, values.warmup);
    const session = await switchOn(mode, target.inspectPort);
    const before = cpuMs(target.child.pid!);
    const answered = await load(target.port, values.rate, values.window);
    const used = cpuMs(target.child.pid!) - before;
    // Closing the session disables the HeapProfiler domain: tracking and sampling off, no snapshot.
    await session?.close();
    if (answered === 0) throw new Error(`${mode}: no request answered`);
    return { cpuMsPerRequest: used / answered, answered };
  } finally {
    target.child.kill('SIGKILL');
  }
}

const environment = collectEnvironment();
log(
  `bench:leak: Node ${environment.node}, ${environment.cpus} CPUs (shared); load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
log(`${values.runs} runs per mode at ${values.rate} requests/s for ${values.window / 1000} s each (after ${values.warmup / 1000} s of warm-up)`);
const perMode: Record<Mode, number[]> = { none: [], sampling: [], tracking: [], 'tracker-alone': [] };
for (let round = 0; round < values.runs; round++) {
  for (let k = 0; k < MODES.length; k++) {
    const mode = MODES[(round + k) % MODES.length]!;
    const run = await oneRun(mode);
    perMode[mode].push(run.cpuMsPerRequest);
    log(`  round ${round + 1} ${mode.padEnd(13)} ${run.cpuMsPerRequest.toFixed(3)} CPU ms/request (${run.answered} answered)`);
  }
}
const base = median(perMode.none);
const rows = MODES.map((mode) => {
  const sorted = [...perMode[mode]].sort((a, b) => a - b);
  return { mode, medianMs: median(sorted), minMs: sorted[0]!, maxMs: sorted.at(-1)!, runs: sorted.length, timesNone: median(sorted) / base };
});
log('');
log(`mode (tracking: sampler every ${values['tracking-interval']} B)  CPU ms/request: median (min–max)   × none`);
for (const row of rows)
  log(`${row.mode.padEnd(14)} ${row.medianMs.toFixed(3).padStart(7)} (${row.minMs.toFixed(3)}–${row.maxMs.toFixed(3)})          ${row.timesNone.toFixed(1)}×`);
log(
  `load average at the end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
process.stdout.write(
  `${JSON.stringify({ environment, trackingIntervalBytes: values['tracking-interval'], rate: values.rate, windowMs: values.window, runs: values.runs, rows, perMode }, null, 2)}\n`,
);
