import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloodResult } from '../../src/results/flood.js';
import { runCli } from '../helpers/cli.js';

/** flood's figures say what was measured and no more (issue 10: 16, 17, 18), through bin/imdiag.js. */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'imdiag-flood-figures-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const SLOW_LOAD = ['--rate', '50', '--payload', '2kb', '--clients', '3', '--slow-clients', '1', '--slow-read', '16kb'];

describe('flood under a tight heap cap, until the server runs out of memory', () => {
  it('says which heap limit V8 applied and why; no raw V8 frames in the table, all of them in the saved result', async () => {
    const report = join(scratch, 'oom.json');
    const run = await runCli(['flood', ...SLOW_LOAD, '--max-old-space-size', '32', '--duration', '30s', '--report', report], { timeoutMs: 120_000 });
    expect(run.stdout).toMatch(/heap cap --max-old-space-size=32: V8 applied a (\d+(\.\d+)?) MB heap limit \(32 MB old space \+ [\d.]+ MB young generation\)/);
    const limitInHeader = /V8 applied a ([\d.]+) MB heap limit/.exec(run.stdout)![1];
    const saved = JSON.parse(readFileSync(report, 'utf8')) as FloodResult;
    expect(saved.runs[0]!.outcome).toBe('died');
    expect(Number(limitInHeader)).toBeCloseTo(saved.runs[0]!.server.heapLimitBytes! / 1024 / 1024, 1);
    expect(run.stdout).not.toMatch(/^\s*\d+: 0x[0-9a-f]+/im);
    expect(run.stdout).not.toMatch(/node::|v8::internal/);
    expect(saved.runs[0]!.exit!.stderrTail).toMatch(/\d+: 0x[0-9a-f]+/i);
  }, 150_000);
});

describe('flood verdicts', () => {
  it('a strategy that pushed nothing gets an empty verdict and a warning, not "bounded"; the level in its text is the level in its table', async () => {
    const run = await runCli([
      'flood',
      '--rate',
      '20',
      '--clients',
      '2',
      '--slow-clients',
      '0',
      '--strategy',
      'interval',
      '--interval',
      '20s',
      '--duration',
      '4s',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as FloodResult;
    expect(result.runs[0]!.server.pushesSent).toBe(0);
    expect(result.runs[0]!.verdict).toBe('inconclusive');
    expect(result.warnings.join('\n')).toMatch(/interval: its verdict is empty, not bounded: it sent no push during the [\d.]+ s run \(push interval 20 s\)/);

    const text = await runCli(['flood', '--rate', '20', '--clients', '2', '--slow-clients', '0', '--strategy', 'per-message', '--duration', '5s']);
    const inVerdict = /of the ([\d.]+) MB (live heap|heap used) level/.exec(text.stdout);
    expect(inVerdict, text.stdout).not.toBeNull();
    expect(text.stdout).toMatch(new RegExp(`level \\(verdict\\) / max dev\\s+│\\s+${inVerdict![1]!.replace('.', '\\.')}\\d? MB ${inVerdict![2]}`));
  }, 60_000);
});
