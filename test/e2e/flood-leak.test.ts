import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSpiderExample, type SpiderExample } from '../../bench/spider-example.js';
import type { FloodTargetResult } from '../../src/results/flood-target.js';
import type { LeakResult } from '../../src/results/leak.js';
import { BIN, NODE, runCli } from '../helpers/cli.js';

/**
 * The Spider post-mortem's leak, found from the load: examples/spider pushing per message to one
 * slow socket.io monitor queues every chart in engine.io's write buffer (pushAll, server.js). The
 * default body's charts (up to 500 points of ~100 bytes) at 50 POST/s for 10 s queue ~12 MB for a
 * monitor reading 16 KB/s, past what the loopback socket's kernel buffers absorb (a few MB); pushed
 * every 5 s (the server's default) they are ~10 KB/s, less than it reads.
 */
const monitors = (port: number) => [
  ...['--target', `http://127.0.0.1:${port}/api/data`, '--socket-io', `http://127.0.0.1:${port}`, '--event', 'chart'],
  ...['--rate', '50', '--clients', '3', '--slow-clients', '1', '--slow-read', '16kb', '--duration', '10s'],
];

const dir = mkdtempSync(join(tmpdir(), 'imdiag-flood-leak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let server: SpiderExample | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const pushAll = { functionName: 'pushAll', script: expect.stringMatching(/examples\/spider\/server\.js$/) as unknown };

describe.sequential('the Spider example leaks per message, not on an interval', () => {
  it('flood --target --inspect --leak: the groups in its result and its report name pushAll and the write buffer', async () => {
    server = await startSpiderExample({ args: ['--push', 'per-message'], inspect: true });
    const report = join(dir, 'flood.md');
    const run = await runCli(['flood', ...monitors(server.port), '--inspect', `127.0.0.1:${server.inspectPort}`, '--leak', '--json', '--report', report], {
      timeoutMs: 170_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as FloodTargetResult;
    expect(result.outcome).toBe('completed');
    const leak = result.leak!;
    expect(leak).toMatchObject({ status: 'ok', cooldownMs: 5_000, verdict: { leaking: true } });
    expect(leak.sites[0]).toMatchObject({ site: pushAll, leaking: true });
    expect(leak.sites[0]!.selfSizeBytes).toBeGreaterThan(1024 * 1024);
    expect(leak.sites[0]!.heldBy).toMatch(/writeBuffer in Socket/);
    expect(leak.paths.length).toBeGreaterThan(0);
    expect(leak.cost.snapshotBytes).toBeGreaterThan(0);
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toContain('What the load leaked (--leak)');
    expect(markdown).toMatch(/allocated in pushAll \(server\.js:\d+\)/);
  });

  it("leak --during 'imdiag flood --target …': the monitors stay until the final snapshot, so pushAll and the write buffer are named", async () => {
    server = await startSpiderExample({ args: ['--push', 'per-message'], inspect: true });
    const flood = [NODE, BIN, 'flood', ...monitors(server.port)].map((arg) => `'${arg}'`).join(' ');
    const run = await runCli(['leak', '--inspect', `127.0.0.1:${server.inspectPort}`, '--settle', '2s', '--during', flood, '--json'], { timeoutMs: 170_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as LeakResult;
    expect(result.workloads[0]).toMatchObject({ exitCode: 0, held: true });
    expect(result.verdict.leaking).toBe(true);
    expect(result.sites[0]).toMatchObject({ site: pushAll, leaking: true });
    expect(result.sites[0]!.heldBy).toMatch(/writeBuffer in Socket/);
  });

  it("leak --during 'imdiag flood --target …' on interval push: nothing leaks", async () => {
    server = await startSpiderExample({ args: ['--push', 'interval'], inspect: true });
    const flood = [NODE, BIN, 'flood', ...monitors(server.port)].map((arg) => `'${arg}'`).join(' ');
    const run = await runCli(['leak', '--inspect', `127.0.0.1:${server.inspectPort}`, '--settle', '2s', '--during', flood, '--json'], { timeoutMs: 170_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as LeakResult;
    expect(result.workloads[0]).toMatchObject({ exitCode: 0, held: true });
    expect(result.verdict.leaking, result.verdict.lines.join('\n')).toBe(false);
    expect(result.sites.filter((site) => site.leaking)).toEqual([]);
  });
});
