import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLOOD_TARGET_FLAGS } from '../../src/commands/flood-target/options.js';
import { LEAK_COOLDOWN_MS } from '../../src/engines/flood-target/cooldown.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** flood --target --leak's cooldown is one constant: --help prints it, the README and docs/results.md say the same. */
describe('flood --leak cooldown', () => {
  const seconds = LEAK_COOLDOWN_MS / 1000;

  it('--help names the constant', () => {
    const leak = FLOOD_TARGET_FLAGS.find((flag) => flag.flags === '--leak')!;
    expect(leak.description).toContain(`after a ${seconds} s cooldown`);
  });

  it('the README and docs/results.md say the same figure', () => {
    const readme = [...read('README.md').matchAll(/(\d+) s cooldown/g)].map((match) => Number(match[1]));
    expect(readme.length).toBeGreaterThanOrEqual(2);
    expect(new Set(readme)).toEqual(new Set([seconds]));
    const results = /`cooldownMs` \(([\d,]+):/.exec(read('docs/results.md'))?.[1];
    expect(Number(results?.replace(/,/g, ''))).toBe(LEAK_COOLDOWN_MS);
  });
});
