import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE } from '../helpers/cli.js';
import { testMongoUri } from '../helpers/mongo.js';

/**
 * docs/node-versions.md's row for the Node under test against the same figures measured now
 * (scripts/node-figures.mjs): a Node update that changes one of them fails here, and the row is
 * then measured again and updated.
 */
interface Figures {
  version: string;
  heapLimitMB: number;
  youngGenerationMB: number;
  driverBytes: number;
  mongooseBytes: number;
  snapshotMB: number;
  snapshotWriteMs: number;
  fatal: { fatalLine: string; jsStacktraceHeader: boolean; namesFatalProcessOutOfMemory: boolean; namesOOMErrorHandler: boolean };
}

function row(major: string): string[] {
  const doc = readFileSync(new URL('../../docs/node-versions.md', import.meta.url), 'utf8');
  const line = doc.split('\n').find((l) => l.startsWith(`| ${major} | `));
  if (!line) throw new Error(`docs/node-versions.md has no row for Node ${major}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

const within = (measured: number, documented: number, share: number) => Math.abs(measured - documented) <= documented * share;

describe('docs/node-versions.md matches this Node', () => {
  it('heap limit, young generation, heap per document, snapshot size, fatal output', { timeout: 170_000 }, () => {
    const figures = JSON.parse(
      execFileSync(NODE, [new URL('../../scripts/node-figures.mjs', import.meta.url).pathname], {
        encoding: 'utf8',
        env: { ...process.env, IMDIAG_FIGURES_URI: testMongoUri() },
        timeout: 160_000,
      }),
    ) as Figures;
    const [major, version, limit, young, driver, mongoose, snapshotMB, , fatalLine, header, fatalFrame, handlerFrame] = row(
      /^v(\d+)\./.exec(figures.version)![1]!,
    );
    const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');
    process.stdout.write(`Node ${figures.version} (row ${major}: ${version}): ${JSON.stringify(figures)}\n`);
    expect(figures.heapLimitMB).toBe(Number(limit));
    expect(figures.youngGenerationMB).toBe(Number(young));
    expect(within(figures.driverBytes, Number(driver), 0.1), `driver ${figures.driverBytes} B/doc against ${driver}`).toBe(true);
    expect(within(figures.mongooseBytes, Number(mongoose), 0.1), `Mongoose ${figures.mongooseBytes} B/doc against ${mongoose}`).toBe(true);
    expect(within(figures.snapshotMB, Number(snapshotMB), 0.1), `snapshot ${figures.snapshotMB} MB against ${snapshotMB}`).toBe(true);
    expect(figures.fatal.fatalLine).toBe(`FATAL ERROR: ${fatalLine} Allocation failed - JavaScript heap out of memory`);
    expect([figures.fatal.jsStacktraceHeader, figures.fatal.namesFatalProcessOutOfMemory, figures.fatal.namesOOMErrorHandler].map(yesNo)).toEqual([
      header,
      fatalFrame,
      handlerFrame,
    ]);
  });
});
