#!/usr/bin/env node
// The test suite in two lanes at once (npm test; .ci/run): vitest runs a project limited to one file at
// a time only after every parallel project has finished (vitest 4's pool puts it in a group of its own,
// last), so `measured` (one file at a time) and `behaviour` (two at a time) are two vitest processes
// here instead of two projects of one. Measured on 2 cores: one process 789 s (behaviour 367 s, then
// measured 422 s); the lanes' figures are in the README's Development section.
//
// dist/ is built once before the lanes start (each lane's global setup skips its build:
// IMDIAG_DIST_BUILT=1); each lane starts its own throw-away MongoDB.
//
// IMDIAG_CI_NODES (set by .ci/run: one "<major> <path to node>" per line) adds the versions subset on
// each of those Node builds (vitest.versions.config.ts, its files one at a time), each appended to the
// lane expected to finish first.
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

// Seconds each step took in CI on 2 cores (idle: 188, 429, 63), only to balance the lanes (a wrong guess costs time, not results).
const EXPECTED = { behaviour: 190, measured: 430, versions: 65 };

const lanes = [
  { name: 'behaviour', expected: EXPECTED.behaviour, steps: [{ label: 'behaviour', args: ['run', '--project', 'behaviour'], env: {} }] },
  { name: 'measured', expected: EXPECTED.measured, steps: [{ label: 'measured', args: ['run', '--project', 'measured'], env: {} }] },
];
for (const line of (process.env.IMDIAG_CI_NODES ?? '').split('\n').filter((l) => l.trim())) {
  const [major, bin] = line.trim().split(/\s+/);
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  const lane = lanes.reduce((a, b) => (b.expected < a.expected ? b : a));
  lane.expected += EXPECTED.versions;
  lane.steps.push({
    label: `versions subset on Node ${version} (.nodes/${major})`,
    args: ['run', '-c', 'vitest.versions.config.ts'],
    env: { IMDIAG_NODE: bin },
  });
}

const started = Date.now();
const seconds = (since) => Math.round((Date.now() - since) / 1000);
if (process.env.IMDIAG_DIST_BUILT !== '1') {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  console.log(`lanes: dist/ built in ${seconds(started)} s`);
}

const running = new Set();
let stopping = false;
function stopAll(signal) {
  stopping = true;
  // Each step leads its own process group: vitest, its workers and whatever a test spawned.
  for (const child of running) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll('SIGTERM'));

function runStep(lane, step) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, ...step.args], {
      cwd: root,
      env: { ...process.env, ...step.env, IMDIAG_DIST_BUILT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    const prefix = `[${lane.name}] `;
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => console.log(prefix + line));
    child.on('close', (code) => {
      running.delete(child);
      resolve(code ?? 1);
    });
  });
}

// A failed step does not stop its lane: the run reports every failure, and fails.
async function runLane(lane) {
  let failed = 0;
  for (const step of lane.steps) {
    if (stopping) return 1;
    const stepStarted = Date.now();
    console.log(`lanes: [${lane.name}] ${step.label} starts`);
    const code = await runStep(lane, step);
    console.log(`lanes: [${lane.name}] ${step.label}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(stepStarted)} s`);
    if (code !== 0) failed = code;
  }
  return failed;
}

const codes = await Promise.all(lanes.map(runLane));
console.log(`lanes: all lanes done in ${seconds(started)} s`);
const failed = codes.find((code) => code !== 0);
process.exit(stopping ? 130 : (failed ?? 0));
