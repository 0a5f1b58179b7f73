import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHandoff, holdForLeak, LEAK_HANDOFF_ENV } from '../../src/core/leak/handoff.js';

describe("the handoff between imdiag leak and a workload that holds its connections (flood's monitors)", () => {
  it('the workload says its load is over, holds until leak releases it; leak sees the first and gives the second', async () => {
    const handoff = await createHandoff();
    const dir = handoff.env[LEAK_HANDOFF_ENV]!;
    let holding = false;
    const held = holdForLeak(handoff.env, new AbortController().signal, () => (holding = true));
    await handoff.loaded(new AbortController().signal);
    expect(holding).toBe(true);
    let released = false;
    void held.then(() => (released = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(released).toBe(false);
    await handoff.release();
    expect(await held).toBe(true);
    await handoff.remove();
    expect(existsSync(dir)).toBe(false);
  });

  it('without the variable (not run under imdiag leak) nothing is held', async () => {
    expect(await holdForLeak({}, new AbortController().signal, () => undefined)).toBe(false);
  });

  it('a stop signal ends the hold at once', async () => {
    const handoff = await createHandoff();
    const stop = new AbortController();
    const held = holdForLeak(handoff.env, stop.signal, () => stop.abort());
    expect(await held).toBe(true);
    await handoff.remove();
  });
});
