import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

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
