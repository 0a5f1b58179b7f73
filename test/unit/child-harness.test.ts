import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDeath } from '../../src/lib/child/death.js';
import { forkChild } from '../../src/lib/child/fork.js';
import { serverExit } from '../../src/engines/flood/server/fork.js';
import { deathReport } from '../../src/core/measure/run-child.js';

const CHILD = new URL('../helpers/harness-child.mjs', import.meta.url);
const PARENT = new URL('../helpers/harness-parent.mjs', import.meta.url);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An orphan that has ended stays a zombie until init reaps it: it is gone all the same.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('describeDeath', () => {
  const exit = { exitCode: null, signal: null, stderrTail: [], timedOut: false, aborted: false };
  it.each([
    [{ ...exit, exitCode: 0 }, { kind: 'ok' }],
    [
      { ...exit, exitCode: 3 },
      { kind: 'exit', code: 3 },
    ],
    [
      { ...exit, signal: 'SIGKILL' as const },
      { kind: 'signal', signal: 'SIGKILL' },
    ],
    [
      { ...exit, signal: 'SIGKILL' as const, timedOut: true, timeoutMs: 5000 },
      { kind: 'timeout', timeoutMs: 5000 },
    ],
    [{ ...exit, signal: 'SIGKILL' as const, aborted: true }, { kind: 'aborted' }],
    [
      { ...exit, signal: 'SIGABRT' as const, stderrTail: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'] },
      { kind: 'oom' },
    ],
    [
      {
        ...exit,
        signal: 'SIGABRT' as const,
        stderrTail: [' 3: 0xee85e7 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*) [/usr/bin/node]'],
      },
      { kind: 'oom' },
    ],
  ])('%j → %j', (facts, death) => {
    expect(describeDeath(facts)).toEqual(death);
  });
});

describe('the child harness (src/lib/child)', () => {
  it('passes a small config in the environment and a large one over IPC; streams, progress, then one final message', async () => {
    for (const [padding, fromEnv] of [
      [10, true],
      [200_000, false],
    ] as const) {
      const streamed: unknown[] = [];
      const child = forkChild({
        entry: CHILD,
        config: { mode: 'echo', padding: 'x'.repeat(padding) },
        onStream: (message) => streamed.push(message),
        timeoutMs: 30_000,
      });
      const end = await child.end;
      expect(end.death).toEqual({ kind: 'ok' });
      expect(end.final).toMatchObject({ type: 'result', fromEnv });
      expect((end.final as unknown as { configChars: number }).configChars).toBeGreaterThan(padding);
      expect(streamed).toEqual([{ type: 'sample', n: 1 }]);
      expect(end.lastProgress).toEqual({ step: 1 });
      expect(end.stderrTail).toEqual([]);
    }
  });

  it('reports an exit without a final message, with its stderr tail', async () => {
    const end = await forkChild({ entry: CHILD, config: { mode: 'exit' } }).end;
    expect(end.final).toBeNull();
    expect(end.death).toEqual({ kind: 'exit', code: 3 });
    expect(end.stderrTail).toEqual(['giving up']);
  });

  it('kills a child at its timeout and says so', async () => {
    const end = await forkChild({ entry: CHILD, config: { mode: 'wait' }, timeoutMs: 500 }).end;
    expect(end.death).toEqual({ kind: 'timeout', timeoutMs: 500 });
  });

  it('a child that dies of OOM is recognised the same way by compare-unread and by flood', async () => {
    const end = await forkChild({ entry: CHILD, config: { mode: 'oom' }, maxOldSpaceSizeMB: 16, stderrTailLines: 30 }).end;
    expect(end.final).toBeNull();
    expect(end.death).toEqual({ kind: 'oom' });
    // A strategy child's death …
    const strategy = deathReport({ ...end, lastProgress: undefined });
    expect(strategy.oom).toBe(true);
    expect(strategy.death.summary).toMatch(/^OOM /);
    // … and a flood server's exit, from the same facts.
    const server = serverExit(end);
    expect(server.oom).toBe(true);
    expect(server.stderrTail).toContain('heap out of memory');
  });

  it('a child ends itself within 2 s when its parent is SIGKILLed', async () => {
    const parent = spawn(process.execPath, [PARENT.pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve) => parent.stdout.setEncoding('utf8').once('data', (line: string) => resolve(Number(line.trim()))));
    expect(isAlive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    const killedAt = Date.now();
    while (isAlive(childPid) && Date.now() - killedAt < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isAlive(childPid)).toBe(false);
    expect(Date.now() - killedAt).toBeLessThan(2000);
  });
});
