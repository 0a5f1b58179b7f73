import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectInspector } from '../../src/lib/inspector/client.js';
import { BIN, runCli } from '../helpers/cli.js';

/**
 * A server with a known leak: `remember` (line 10) pushes into a module-level array held by
 * `holder`, called from the request handler `handle`; beside it an LRU of 100 entries. Allocation
 * tracking slows a target many times over, so the loops are short and the leak per request large.
 */
// Too large a body for TurboFan to inline remember into handle (V8 attributes an inlined function's allocations to its caller).
const PADDING = Array.from({ length: 60 }, (_, k) => `  if (i === -${k + 1}) leaked.push({ never: ${k}, at: String(i) + '${k}' });`).join('\n');
const SERVER = String.raw`const http = require('node:http');
const leaked = [];
const holder = { leaked };
class Lru {
  constructor(max) { this.max = max; this.map = new Map(); }
  set(k, v) { this.map.delete(k); this.map.set(k, v); if (this.map.size > this.max) this.map.delete(this.map.keys().next().value); }
}
const cache = new Lru(100);
let n = 0;
function remember(request, i) {
  leaked.push({ url: request.url, at: i, body: new Array(2500).fill(i) });
${PADDING}
}
function cacheIt(i) {
  cache.set('k' + i, { i, data: 'c'.repeat(500) + i });
}
function handle(request, response) {
  n++;
  if (process.env.LEAK === '1') remember(request, n);
  cacheIt(n);
  response.end('ok\n');
}
globalThis.holder = holder;
http.createServer(handle).listen(0, '127.0.0.1', function () { process.stdout.write('port ' + this.address().port + '\n'); });
`;

const LOAD = String.raw`const http = require('node:http');
const [port, count] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const one = (i) => new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/r' + i, agent }, (r) => { r.resume(); r.on('end', resolve); }).on('error', reject));
(async () => { for (let i = 0; i < count; i++) await one(i); agent.destroy(); console.log('sent ' + count); })();
`;

const dir = mkdtempSync(join(tmpdir(), 'imdiag-leak-'));
const serverFile = join(dir, 'server.js');
const loadFile = join(dir, 'load.js');
writeFileSync(serverFile, SERVER);
writeFileSync(loadFile, LOAD);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Server {
  child: ChildProcess;
  port: number;
  inspect: string;
}

function startServer(leak: boolean): Promise<Server> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', serverFile], {
    env: { ...process.env, NODE_OPTIONS: '', LEAK: leak ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = /port (\d+)/.exec(out)?.[1];
      const inspect = /ws:\/\/(127\.0\.0\.1:\d+)\//.exec(err)?.[1];
      if (port && inspect) resolve({ child, port: Number(port), inspect });
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((out += chunk), check()));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((err += chunk), check()));
    child.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
}

/** From a fresh session: no sampling profiler running and no allocation stacks in a new snapshot. */
async function trackingIsOff(inspect: string): Promise<{ samplingError: string; traceFunctions: number }> {
  const [host, port] = inspect.split(':');
  const session = await connectInspector({ host: host!, port: Number(port) });
  try {
    const samplingError = await session.send('HeapProfiler.getSamplingProfile').then(
      () => 'no error',
      (error: Error) => error.message,
    );
    let text = '';
    session.on('HeapProfiler.addHeapSnapshotChunk', (params) => (text += (params as { chunk: string }).chunk));
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.takeHeapSnapshot', {}, 120_000);
    const meta = JSON.parse(text) as { snapshot: { trace_function_count: number } };
    return { samplingError, traceFunctions: meta.snapshot.trace_function_count };
  } finally {
    await session.close();
  }
}

describe.sequential('imdiag leak', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });

  // V8 drops the allocation stacks of survivors a GC moves (src/core/leak/fallback.ts): the stackless items of
  // `leaked` take remember's site through their retainer path (src/core/leak/attribute.ts), dated by their ids.
  it('--during a request loop ×3: names the leaking function, file and line, its holder; the LRU is not growing; tracking off after', async () => {
    server = await startServer(true);
    const run = await runCli(
      [
        'leak',
        '--inspect',
        server.inspect,
        '--during',
        `node ${loadFile} ${server.port} 40`,
        '--repeat',
        '3',
        '--settle',
        '1s',
        '--json',
        '--fail-on',
        'leaked>100KB',
      ],
      { timeoutMs: 540_000 },
    );
    writeFileSync(join(tmpdir(), 'imdiag-leak-e2e-last.json'), run.stdout);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.verdict.leaking).toBe(true);
    const first = result.sites[0];
    expect(first.site).toMatchObject({ functionName: 'remember', script: serverFile, line: 10 });
    expect(first.growing).toBe(true);
    // 40 requests a repetition, each leaking one array of 2,500 numbers: all three repetitions kept alike.
    expect(Math.min(...first.perRepetitionBytes)).toBeGreaterThan(0.9 * Math.max(...first.perRepetitionBytes));
    expect(first.callers[0]).toMatchObject({ functionName: 'handle' });
    expect(result.verdict.lines[2]).toMatch(/leaked in Object ← holder in global/);
    const lru = result.sites.find((site: { site: { functionName: string } }) => site.site.functionName === 'cacheIt');
    if (lru) expect(lru).toMatchObject({ growing: false, leaking: false });
    expect(result.workloads).toHaveLength(3);
    expect(result.workloads[0]).toMatchObject({ exitCode: 0, outputTail: 'sent 40\n' });
    expect(result.problems.join('\n')).toMatch(/--fail-on leaked>100KB/);
    const after = await trackingIsOff(server.inspect);
    expect(after.samplingError).toMatch(/not started/);
    expect(after.traceFunctions).toBe(0);
  }, 600_000);

  // Its LRU of 100 entries holds ~90 KB after any workload: one repetition cannot tell that from a leak
  // (a site above the noise floor is a suspect), three can — the cache's survivors all date from the last.
  it('a server without a leak: over three repetitions, no site grows above the noise floor', async () => {
    server = await startServer(false);
    const run = await runCli(
      ['leak', '--inspect', server.inspect, '--during', `node ${loadFile} ${server.port} 40`, '--repeat', '3', '--settle', '0s', '--json'],
      {
        timeoutMs: 300_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.verdict.leaking).toBe(false);
    expect(result.sites.filter((site: { leaking: boolean }) => site.leaking)).toEqual([]);
  }, 360_000);

  it('--sampling finds the same site', async () => {
    server = await startServer(true);
    const run = await runCli(
      ['leak', '--inspect', server.inspect, '--sampling', '--during', `node ${loadFile} ${server.port} 60`, '--settle', '0s', '--json'],
      {
        timeoutMs: 300_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.sites[0].site).toMatchObject({ functionName: 'remember', line: 10 });
    expect(result.verdict.lines[2]).toMatch(/unknown in sampling mode/);
  }, 360_000);

  it('bad input: one line each, the target left as it was', async () => {
    server = await startServer(false);
    const failing = await runCli(['leak', '--inspect', server.inspect, '--during', 'echo oops; exit 3', '--settle', '0s']);
    expect(failing.code).toBe(1);
    expect(
      failing.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('imdiag:')),
    ).toEqual(["imdiag: --during 'echo oops; exit 3' failed (exit code 3) in repetition 1: oops; the target's tracking was switched off"]);
    const missing = await runCli(['leak', '--inspect', server.inspect, '--during', 'no-such-command-imdiag', '--settle', '0s']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--during 'no-such-command-imdiag': command not found/);
    const after = await trackingIsOff(server.inspect);
    expect(after.samplingError).toMatch(/not started/);
    expect(after.traceFunctions).toBe(0);
    const sleeper = spawn('sleep', ['30']);
    const cases: Array<[string[], RegExp, number]> = [
      [['leak', '--pid', '4000000', '--open-inspector', '--duration', '1s'], /--pid 4000000: no such process/, 2],
      [['leak', '--pid', String(sleeper.pid), '--open-inspector', '--duration', '1s'], /not a Node process; SIGUSR1 would terminate it/, 2],
      [['leak', '--inspect', '127.0.0.1:1', '--duration', '1s'], /cannot reach the inspector at 127\.0\.0\.1:1/, 1],
      [['leak', '--inspect', server.inspect], /leak needs one workload/, 2],
      [['leak', '--inspect', server.inspect, '--duration', '1s', '--fail-on', 'bogus>1MB'], /--fail-on: unknown figure 'bogus'/, 2],
    ];
    for (const [args, message, code] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
    sleeper.kill();
  }, 300_000);

  it('Ctrl-C mid-run: exit 130, a partial result, tracking off in the target', async () => {
    server = await startServer(true);
    const child = spawn(process.execPath, [BIN, 'leak', '--inspect', server.inspect, '--duration', '60s', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    while (!/workload 1\/1/.test(stderr)) await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const result = JSON.parse(stdout);
    expect(result.status).toBe('stopped');
    expect(result.problems.join('\n')).toMatch(/stopped early/);
    const after = await trackingIsOff(server.inspect);
    expect(after.samplingError).toMatch(/not started/);
    expect(after.traceFunctions).toBe(0);
  }, 120_000);
});
