import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes as formatBytes } from '../../src/lib/format.js';
import type { CompareUnreadResult } from '../../src/results/compare-unread.js';
import { runCli } from '../helpers/cli.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';
import { seedTiny } from '../helpers/unread-data.js';

const tinyDb = uniqueDbName('cu_heap');
let snapshotsDir = '';

beforeAll(async () => {
  snapshotsDir = await mkdtemp(join(tmpdir(), 'imdiag-cu-heapdump-'));
  await seedTiny(testMongoUri(), tinyDb);
}, 120_000);

afterAll(async () => {
  await rm(snapshotsDir, { recursive: true, force: true });
  await withClient((client) => client.db(tinyDb).dropDatabase());
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('imdiag compare-unread --heapdump end to end', () => {
  it('--json: a snapshot a strategy in the directory, its size as on disk, a non-empty ranking within the total', async () => {
    const dir = join(snapshotsDir, 'json');
    const run = await runCli(
      ['compare-unread', '--uri', testMongoUri(), '--db', tinyDb, '--heapdump', dir, '--strategies', 'naive,cursor', '--quick', '--json'],
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as CompareUnreadResult;
    expect(result.options.heapdump).toBe(true);
    expect(result.strategies.map((outcome) => outcome.name)).toEqual(['naive', 'cursor']);
    for (const outcome of result.strategies) {
      const snapshot = outcome.heapSnapshot!;
      expect(snapshot.path, outcome.name).toBe(join(dir, `${outcome.name}.heapsnapshot`));
      expect(existsSync(snapshot.path), outcome.name).toBe(true);
      expect(snapshot.sizeBytes, outcome.name).toBe(statSync(snapshot.path).size);
      expect(snapshot.computed, outcome.name).toMatch(
        /^retained size \(DevTools' rule: nested instances of a class counted once\) and count per constructor over all [\d,]+ nodes, from the dominator tree/,
      );
      expect(snapshot.largest?.[0]?.retainers, outcome.name).toMatch(/ ← /);
      expect(snapshot.topByConstructor.length, outcome.name).toBeGreaterThan(0);
      const topSum = snapshot.topByConstructor.reduce((sum, row) => sum + row.selfSizeBytes, 0);
      expect(topSum, outcome.name).toBeLessThanOrEqual(snapshot.totalSelfSizeBytes);
      expect(
        snapshot.topByConstructor.every((row) => row.count > 0 && row.selfSizeBytes >= 0),
        outcome.name,
      ).toBe(true);
    }
  });

  it('without --json: prints where each snapshot went and how big it is', async () => {
    const dir = join(snapshotsDir, 'human');
    const run = await runCli(['compare-unread', '--uri', testMongoUri(), '--db', tinyDb, '--heapdump', dir, '--strategies', 'naive,cursor', '--quick'], {
      timeoutMs: 120_000,
    });
    expect(run.code, run.stderr).toBe(0);
    for (const name of ['naive', 'cursor']) {
      const path = join(dir, `${name}.heapsnapshot`);
      const size = formatBytes(statSync(path).size);
      expect(run.stdout).toMatch(
        new RegExp(
          `^${name}: heap snapshot at peak ${escape(path)} \\(${escape(size)}, (heapdump|v8\\.writeHeapSnapshot)\\); top by retained size: \\S+ `,
          'm',
        ),
      );
    }
  });

  it('--heapdump into an existing file is a one-line usage error, before any work', async () => {
    const file = join(snapshotsDir, 'not-a-dir');
    await writeFile(file, 'x');
    const run = await runCli(['compare-unread', '--uri', testMongoUri(), '--db', tinyDb, '--heapdump', file, '--strategies', 'cursor', '--quick']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([`imdiag: --heapdump must name a directory, but ${file} is a file`]);
  });
});
