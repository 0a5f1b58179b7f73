import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedResult } from '../../src/results/seed.js';
import { runCli } from '../helpers/cli.js';

/**
 * seed on the embedded mongod reports success only when the data is on disk: the server stopped
 * cleanly and, restarted, holds what was loaded. The full disk is a real 5 MB tmpfs (needs the
 * right to mount; skipped without it). The stand-in writes its files only when it stops, so
 * here the full disk shows as an unclean stop; a real mongod fails the write itself.
 */
let scratch: string;
let small: string | null = null;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'imdiag-storage-'));
  const mountPoint = join(scratch, 'small');
  await mkdir(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=5m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    small = mountPoint;
  } catch {
    small = null;
  }
});
afterAll(async () => {
  if (small) execFileSync('umount', [small], { stdio: 'ignore' });
  await rm(scratch, { recursive: true, force: true });
});

describe('seed on the embedded mongod', () => {
  it('a clean stop: the result says the dataset was found again after a restart', async () => {
    const run = await runCli(['seed', '--profile', 'tiny', '--data-dir', join(scratch, 'ok'), '--anchor', '2018-08-10', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as SeedResult;
    expect(result.embeddedServer).toEqual({ exitCode: 0, signal: null, clean: true, verifiedOnRestart: true, problem: null });
  });

  it('a full disk: exit 1 naming the cause, not "loaded … documents" and exit 0', async (context) => {
    if (!small) return context.skip('cannot mount a tmpfs here');
    const run = await runCli(['seed', '--profile', 'demo', '--data-dir', join(small, 'data'), '--anchor', '2018-08-10', '--json'], { timeoutMs: 120_000 });
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as SeedResult;
    expect(result.embeddedServer).toMatchObject({ clean: false, verifiedOnRestart: false });
    expect(result.problems.join('\n')).toMatch(/did not stop cleanly \(exit code \d+: no space left on device\).*not saved, re-run with --drop/);
    expect(run.stderr).toMatch(/^imdiag: the embedded mongod did not stop cleanly .*no space left on device/m);
  }, 150_000);
});
