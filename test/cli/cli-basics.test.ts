import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('imdiag (process level)', () => {
  it('prints its version and exits 0', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects an unknown option with one line on stderr and exit 2', async () => {
    const run = await runCli(['--bogus']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual(["imdiag: unknown option '--bogus'"]);
  });
});

describe('imdiag <command> --help', () => {
  it.each([
    ['compare-unread', '--runs <n> measured runs per strategy after one warm-up (default: 3; allowed: 1-1,000)'],
    ['flood', '--duration <time> load time per strategy: 500ms, 30s, 2m or plain seconds (default: 30s; allowed: 1s-2h)'],
    ['seed', '--batch-size <n> documents per bulk insert (default: 1000; allowed: 1-100,000)'],
  ])('%s shows each flag with its default and allowed range', async (command, line) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    // Commander wraps to the terminal's width: compare with the whitespace collapsed.
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(line);
  });
});
