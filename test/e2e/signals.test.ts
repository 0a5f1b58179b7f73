import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/lib/mongo/data-dir-lock.js';
import { BIN, runCli } from '../helpers/cli.js';
import { descendants, mongodPort, portOpen, sleep, spawnGroup, survivors, waitFor } from '../helpers/processes.js';

/**
 * Signals against the real bin/imdiag.js and its embedded mongod (the stand-in under tests):
 * after each, no process of the run and no listening port of its server is left.
 */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'imdiag-signals-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The embedded mongod's pid once it is up, from imdiag's lock on the data directory. */
function serverPidOf(dataDir: string): number | undefined {
  try {
    const holder = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { serverPid: number | null };
    return holder.serverPid ?? undefined;
  } catch {
    return undefined;
  }
}

async function expectNothingLeft(pids: number[], dataDir: string, port: number): Promise<void> {
  // The run has exited; its server and guard have had their moment to go.
  await waitFor(() => (survivors(pids, dataDir).length === 0 ? true : undefined), 5_000, "the run's processes to exit").catch(() => undefined);
  expect(survivors(pids, dataDir)).toEqual([]);
  expect(await portOpen(port)).toBe(false);
  expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
}

describe.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('seed stopped by %s sent to its whole process group (as a terminal does)', (signal) => {
  it('stops the load, prints the partial summary, exits 130 and leaves no server behind', async () => {
    const dataDir = join(scratch, `seed-${signal}`);
    const run = spawnGroup(['seed', '--profile', 'demo', '--data-dir', dataDir, '--anchor', '2018-08-10']);
    const serverPid = await waitFor(() => serverPidOf(dataDir), 30_000, 'the embedded mongod');
    const port = await waitFor(() => mongodPort(serverPid) ?? undefined, 5_000, 'the mongod port');
    const pids = [run.child.pid!, ...descendants(run.child.pid!)];
    await sleep(1_000);
    process.kill(-run.child.pid!, signal);
    const { code } = await run.exited;
    expect(run.stderr()).not.toMatch(/unexpected error|MongoNetworkError|at .*\.js:\d+/);
    expect(code).toBe(130);
    expect(run.stdout()).toMatch(/loaded [\d,]+ documents/);
    expect(run.stderr()).toMatch(/dataset is incomplete/);
    await expectNothingLeft(pids, dataDir, port);
  }, 90_000);
});

describe('SIGKILL of imdiag', () => {
  it("stops the embedded mongod even when imdiag's parent never reaps it (a zombie looks alive to mongo_killer)", async () => {
    const dataDir = join(scratch, 'sigkill');
    // `exec sleep`: the shell becomes a parent that never waits for imdiag, so the killed imdiag stays a zombie.
    const parent = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" seed --profile demo --data-dir "${dataDir}" >/dev/null 2>&1 & echo $!; exec sleep 60`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    parent.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    try {
      const imdiagPid = await waitFor(() => (/^\d+/.test(out) ? Number(out.trim()) : undefined), 5_000, "imdiag's pid");
      const serverPid = await waitFor(() => serverPidOf(dataDir), 30_000, 'the embedded mongod');
      const port = await waitFor(() => mongodPort(serverPid) ?? undefined, 5_000, 'the mongod port');
      const pids = [imdiagPid, ...descendants(imdiagPid)];
      process.kill(imdiagPid, 'SIGKILL');
      await waitFor(
        () =>
          survivors(
            pids.filter((pid) => pid !== imdiagPid),
            dataDir,
          ).length === 0
            ? true
            : undefined,
        10_000,
        'the server to stop',
      ).catch(() => undefined);
      expect(
        survivors(
          pids.filter((pid) => pid !== imdiagPid),
          dataDir,
        ),
      ).toEqual([]);
      expect(await portOpen(port)).toBe(false);
      // The next run is not refused: the killed run's lock is stale (its imdiag is a zombie, its mongod gone).
      const next = await runCli(['seed', '--profile', 'tiny', '--data-dir', dataDir, '--drop', '--anchor', '2018-08-10']);
      expect(next.stderr).not.toMatch(/in use by another run/);
      expect(next.code).toBe(0);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 90_000);
});

describe('two runs on one --data-dir', () => {
  it('started together: one runs, the other gets the one-line "in use by another run", never a raw error', async () => {
    const dataDir = join(scratch, 'twice');
    const args = ['seed', '--profile', 'tiny', '--data-dir', dataDir, '--anchor', '2018-08-10'];
    const [first, second] = await Promise.all([runCli(args), runCli(args)]);
    const outcomes = [first, second].sort((a, b) => (a.code ?? 9) - (b.code ?? 9));
    expect(outcomes.map((run) => run.code)).toEqual([0, 1]);
    expect(outcomes[1]!.stderr.trim()).toMatch(
      /^imdiag: the embedded MongoDB data directory .* is in use by another run \(.*\); wait for it or pass another --data-dir$/,
    );
    expect(outcomes[1]!.stderr).not.toMatch(/SyntaxError|unexpected error/);
  }, 60_000);
});

describe('compare-unread stopped by a signal to its process group (flood: test/flood-cli.test.ts)', () => {
  it('compare-unread: stops within seconds, reports what ran, exits 130, leaves no child, server or port', async () => {
    const dataDir = join(scratch, 'compare');
    const seeded = await runCli(['seed', '--profile', 'tiny', '--data-dir', dataDir, '--anchor', '2018-08-10']);
    expect(seeded.code).toBe(0);
    const report = join(scratch, 'compare-report.json');
    const run = spawnGroup(['compare-unread', '--data-dir', dataDir, '--report', report]);
    const serverPid = await waitFor(() => serverPidOf(dataDir), 30_000, 'the embedded mongod');
    const port = await waitFor(() => mongodPort(serverPid) ?? undefined, 5_000, 'the mongod port');
    await waitFor(() => (/\(2\/\d+\)/.test(run.stderr()) ? true : undefined), 60_000, 'the second strategy');
    const pids = [run.child.pid!, ...descendants(run.child.pid!)];
    const signalledAt = Date.now();
    process.kill(-run.child.pid!, 'SIGINT');
    const { code } = await run.exited;
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(code).toBe(130);
    expect(run.stderr()).not.toMatch(/ECONNREFUSED|unexpected error/);
    expect(run.stdout()).toMatch(/stopped \(Ctrl-C\) during [a-z-]+, after 1 of 9 strategies/);
    expect(JSON.parse(readFileSync(report, 'utf8')).problems.join(' ')).toMatch(/stopped \(Ctrl-C\)/);
    await expectNothingLeft(pids, dataDir, port);
  }, 120_000);
});
