/**
 * `npm run bench:target`: imdiag flood --target's producers against the example server
 * (examples/spider, no monitors, so the POST path is what is measured), in one run:
 *
 * 1. Maximum rate, 10 keep-alive connections, no pipelining: autocannon (the anchor for HTTP load
 *    in Node) vs imdiag's producers on undici vs the same producers on imdiag's hand-written client.
 *    Target: undici producers ≥ 90 % of autocannon's rate.
 * 2. A fixed rate the server sustains (default: half of autocannon's rate in the same run): missed (not sent on schedule, late,
 *    failed or timed out) ≤ 1 %.
 *
 * Each measurement runs against a fresh server process; the machine is shared, so keep it short.
 *
 *   npm run bench:target -- [--duration 3s] [--rounds 2] [--rate N] [--json]   (--help lists the flags)
 */
import autocannon from 'autocannon';
import { FLOOD_LIMITS } from '../src/commands/flood/options.js';
import { collectEnvironment } from '../src/lib/environment.js';
import { compileBody, DEFAULT_BODY } from '../src/engines/flood-target/body.js';
import { runTargetProducers } from '../src/engines/flood-target/producers.js';
import type { TargetProducerSummary } from '../src/results/flood-target.js';
import { handWrittenSender, undiciSender, type RequestSender, type SenderOptions } from '../src/engines/flood-target/senders.js';
import { benchArgs, flag, optional } from './args.js';
import { startSpiderExample } from './spider-example.js';

const values = benchArgs(
  { name: 'bench:target', about: "flood --target's producers (undici, hand-written client) against autocannon on the example server, then a fixed rate." },
  {
    duration: flag.duration('each measurement', '3s', 1000, 600_000),
    // Rounds interleave the clients, so a burst of load from elsewhere on a shared machine hits them alike; the best round of each counts.
    rounds: flag.integer('interleaved rounds; the best of each client counts', 2, 1, 5),
    rate: optional(
      flag.number('', 0, FLOOD_LIMITS.rate.min, FLOOD_LIMITS.rate.max),
      `the fixed rate, POSTs per second (default: half of autocannon's rate in this run, a rate this server sustains here; allowed: ${FLOOD_LIMITS.rate.min}-${FLOOD_LIMITS.rate.max})`,
    ),
    json: flag.switch('print the figures as JSON on stdout'),
  },
);
const durationMs = values.duration;
const CONNECTIONS = 10;
const log = (line: string) => process.stderr.write(`${line}\n`);
const body = compileBody(DEFAULT_BODY);

async function withServer<T>(run: (url: URL) => Promise<T>): Promise<T> {
  const server = await startSpiderExample({ args: ['--push', 'interval'] });
  try {
    const url = new URL(`http://127.0.0.1:${server.port}/api/data`);
    // A short warm-up (JIT, connections) that is not measured.
    await producers(url, undiciSender, null, 500);
    return await run(url);
  } finally {
    await server.stop();
  }
}

async function producers(url: URL, make: (options: SenderOptions) => RequestSender, rate: number | null, ms: number): Promise<TargetProducerSummary> {
  const senders = Array.from({ length: CONNECTIONS }, () => make({ url, method: 'POST', headers: [], connections: 1, timeoutMs: 10_000 }));
  try {
    const cpu = process.cpuUsage();
    const summary = await runTargetProducers({ rate, durationMs: ms, senders, connections: 1, body, signal: new AbortController().signal });
    cpuPerRequest.set(summary, cpuMicros(cpu) / Math.max(1, summary.ok));
    return summary;
  } finally {
    await Promise.all(senders.map((sender) => sender.close()));
  }
}

/** The client's own CPU per request (µs, this process): steadier than a rate on a shared machine. */
const cpuPerRequest = new WeakMap<object, number>();
function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

async function cannon(url: URL): Promise<{ rate: number; non2xx: number; errors: number; p99Ms: number; cpuUsPerRequest: number }> {
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url: url.href,
    method: 'POST',
    connections: CONNECTIONS,
    pipelining: 1,
    duration: durationMs / 1000,
    headers: { 'content-type': 'application/json' },
    body: body({ now: Date.now(), seq: 0 }),
  });
  return {
    rate: result.requests.total / (durationMs / 1000),
    non2xx: result.non2xx,
    errors: result.errors,
    p99Ms: result.latency.p99,
    cpuUsPerRequest: cpuMicros(cpu) / Math.max(1, result.requests.total),
  };
}

const rounds = values.rounds;
const anchors: Awaited<ReturnType<typeof cannon>>[] = [];
const undiciRuns: TargetProducerSummary[] = [];
const handRuns: TargetProducerSummary[] = [];
for (let round = 1; round <= rounds; round += 1) {
  log(`round ${round}/${rounds}: autocannon, imdiag (undici), imdiag (hand-written) — ${CONNECTIONS} connections, max rate, ${durationMs / 1000} s each`);
  anchors.push(await withServer(cannon));
  undiciRuns.push(await withServer((url) => producers(url, undiciSender, null, durationMs)));
  handRuns.push(await withServer((url) => producers(url, handWrittenSender, null, durationMs)));
}
const anchor = anchors.reduce((a, b) => (b.rate > a.rate ? b : a));
const undiciMax = undiciRuns.reduce((a, b) => (b.achievedRate > a.achievedRate ? b : a));
const handMax = handRuns.reduce((a, b) => (b.achievedRate > a.achievedRate ? b : a));
const fixedRate = values.rate ?? (Math.round(anchor.rate / 2 / 100) * 100 || 100);
log(`imdiag producers (undici), ${fixedRate} POST/s`);
const fixed = await withServer((url) => producers(url, undiciSender, fixedRate, durationMs));

const missedShare = fixed.scheduled > 0 ? (fixed.missed + fixed.late + fixed.failed) / fixed.scheduled : 1;
const figures = {
  environment: collectEnvironment(),
  durationMs,
  rounds,
  connections: CONNECTIONS,
  allRounds: {
    autocannon: anchors.map((a) => Math.round(a.rate)),
    undici: undiciRuns.map((r) => Math.round(r.achievedRate)),
    handWritten: handRuns.map((r) => Math.round(r.achievedRate)),
  },
  autocannon: anchor,
  undici: {
    rate: undiciMax.achievedRate,
    failed: undiciMax.failed,
    p99Ms: undiciMax.postLatency?.p99Ms ?? null,
    cpuUsPerRequest: cpuPerRequest.get(undiciMax) ?? null,
  },
  handWritten: {
    rate: handMax.achievedRate,
    failed: handMax.failed,
    p99Ms: handMax.postLatency?.p99Ms ?? null,
    cpuUsPerRequest: cpuPerRequest.get(handMax) ?? null,
  },
  undiciVsAutocannon: undiciMax.achievedRate / anchor.rate,
  undiciVsHandWritten: undiciMax.achievedRate / handMax.achievedRate,
  fixedRate: {
    asked: fixedRate,
    scheduled: fixed.scheduled,
    ok: fixed.ok,
    missed: fixed.missed,
    late: fixed.late,
    failed: fixed.failed,
    missedShare,
    achievedRate: fixed.achievedRate,
    p99Ms: fixed.postLatency?.p99Ms ?? null,
  },
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} else {
  const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
  const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;
  const e = figures.environment;
  const lines = [
    `bench:target — examples/spider, ${CONNECTIONS} keep-alive connections, no pipelining, ${durationMs / 1000} s each, best of ${rounds} interleaved rounds (Node ${e.node}, ${e.cpus} CPUs)`,
    `  rounds (POST/s): autocannon ${figures.allRounds.autocannon.join(', ')}; undici ${figures.allRounds.undici.join(', ')}; hand-written ${figures.allRounds.handWritten.join(', ')}`,
    `  autocannon            ${rate(anchor.rate).padStart(10)}  p99 ${anchor.p99Ms} ms  client CPU ${Math.round(anchor.cpuUsPerRequest)} µs/request  non-2xx ${anchor.non2xx}  errors ${anchor.errors}`,
    `  imdiag (undici)       ${rate(undiciMax.achievedRate).padStart(10)}  p99 ${figures.undici.p99Ms} ms  client CPU ${Math.round(figures.undici.cpuUsPerRequest ?? 0)} µs/request  failed ${undiciMax.failed}   ${pct(figures.undiciVsAutocannon)} of autocannon (target ≥ 90 %) ${figures.undiciVsAutocannon >= 0.9 ? 'PASS' : 'FAIL'}`,
    `  imdiag (hand-written) ${rate(handMax.achievedRate).padStart(10)}  p99 ${figures.handWritten.p99Ms} ms  client CPU ${Math.round(figures.handWritten.cpuUsPerRequest ?? 0)} µs/request  failed ${handMax.failed}   undici/hand-written ${figures.undiciVsHandWritten.toFixed(2)}`,
    `  fixed ${rate(fixedRate)}: ${fixed.ok.toLocaleString('en-US')} of ${fixed.scheduled.toLocaleString('en-US')} ok (${rate(fixed.achievedRate)}), missed ${fixed.missed}, late ${fixed.late}, failed ${fixed.failed}: ${pct(missedShare)} missed (target ≤ 1 %) ${missedShare <= 0.01 ? 'PASS' : 'FAIL'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
