/**
 * The Node.js majors imdiag is supported and tested on: .ci/run runs the whole suite on the
 * machine's Node 20 and an end-to-end subset on the pinned builds of scripts/node-versions.json
 * (22, 24, 26); docs/node-versions.md holds each one's measured figures. package.json's `engines`
 * says the same (test/unit/node-support.test.ts keeps the three in step).
 */
export const TESTED_NODE_MAJORS: readonly number[] = [20, 22, 24, 26];

/** For --help and the README. */
export const NODE_SUPPORT_TEXT = `Node.js: supported and tested on ${TESTED_NODE_MAJORS.join(', ')} (20 from 20.19)`;

/**
 * The one line imdiag prints on stderr when it runs on a major it was not tested on; null on a
 * tested one. It runs all the same: only its figures (heap per document, the young generation,
 * the fatal out-of-memory output it recognises) were not checked there.
 */
export function untestedNodeNotice(version: string): string | null {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (TESTED_NODE_MAJORS.includes(major)) return null;
  return `imdiag: note: Node ${version.replace(/^v/, '')} is not a tested version (tested: ${TESTED_NODE_MAJORS.join(', ')}); it runs, but its figures were not validated on this Node`;
}
