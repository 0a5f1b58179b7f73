import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * A size or a duration in --fail-on without its unit is refused by the validator, before any work:
 * each target below is unreachable or absent, so any work at all would end in another message.
 */
describe('--fail-on: a size or duration without a unit is exit 2 at once, in every command', () => {
  it.each([
    [
      ['query', '--uri', 'mongodb://127.0.0.1:1', '--collection', 'msgs', '--fail-on', 'live>512'],
      /^imdiag: --fail-on live>512: live is a size and needs a unit, one of B, KB, MB, GB \(e\.g\. live>512MB\)$/,
    ],
    [
      ['query', '--uri', 'mongodb://127.0.0.1:1', '--collection', 'msgs', '--fail-on', 'oom,per-doc>900'],
      /--fail-on per-doc>900: per-doc is a size and needs a unit, one of B, KB, MB, GB/,
    ],
    [
      ['watch', '--inspect', '127.0.0.1:1', '--fail-on', 'time-to-oom<60'],
      /--fail-on time-to-oom<60: time-to-oom is a duration and needs a unit, one of ms, s, m, h/,
    ],
    [['watch', '--inspect', '127.0.0.1:1', '--fail-on', 'heap>512'], /--fail-on heap>512: heap is a size and needs a unit/],
    [['flood', '--target', 'http://127.0.0.1:1/', '--fail-on', 'p99>200'], /--fail-on p99>200: p99 is a duration and needs a unit, one of ms, s, m, h/],
    [['heap', 'diff', 'no-a.heapsnapshot', 'no-b.heapsnapshot', '--fail-on', 'growth>50'], /--fail-on growth>50: growth is a size and needs a unit/],
  ])('%j', async (args, message) => {
    const run = await runCli(args, { timeoutMs: 30_000 });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.stderr).not.toMatch(/cannot reach|no such file|ECONNREFUSED/);
  });
});
