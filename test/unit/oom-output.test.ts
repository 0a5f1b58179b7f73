import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDeath, heapAtLastGcBytes } from '../../src/lib/child/death.js';

/**
 * Each tested Node major's real fatal out-of-memory output (test/fixtures/node-oom/nodeNN.txt, a
 * child capped at --max-old-space-size=32 hoarding arrays; the binary's path shortened to "node").
 * The versions subset (test/versions/) checks the same against each installed binary, live.
 */
const MAJORS = [20, 22, 24, 26] as const;
const sample = (major: number) => readFileSync(new URL(`../fixtures/node-oom/node${major}.txt`, import.meta.url), 'utf8').split('\n');
const facts = (stderrTail: string[]) => ({ exitCode: null, signal: 'SIGABRT' as const, stderrTail, timedOut: false, aborted: false });

describe("V8's fatal out-of-memory output on every tested Node major", () => {
  it.each(MAJORS)('Node %i: the whole report is an OOM', (major) => {
    expect(describeDeath(facts(sample(major)))).toEqual({ kind: 'oom' });
  });

  it.each(MAJORS)('Node %i: the native stack alone (the FATAL ERROR line scrolled out) is still an OOM', (major) => {
    const lines = sample(major);
    const stack = lines.slice(lines.findIndex((line) => line.startsWith('----- Native stack trace')) + 1);
    expect(stack.some((line) => /FATAL ERROR|heap out of memory/.test(line))).toBe(false);
    expect(describeDeath(facts(stack))).toEqual({ kind: 'oom' });
  });

  it.each(MAJORS)("Node %i: the heap at V8's last collection is read from its GC lines", (major) => {
    // Every sample hoarded up to its 32 MB old-space cap.
    const heap = heapAtLastGcBytes(sample(major));
    expect(heap).not.toBeNull();
    expect(heap! / 2 ** 20).toBeGreaterThan(28);
    expect(heap! / 2 ** 20).toBeLessThan(34);
  });

  it('an abort without those markers is not an OOM', () => {
    expect(describeDeath(facts(['node: ../src/node.cc:123: Assertion failed', ' 1: 0x841e50  [node]']))).toEqual({ kind: 'signal', signal: 'SIGABRT' });
  });
});
