import { defineConfig } from 'vitest/config';

/**
 * Two projects, run side by side as two vitest processes by scripts/test-lanes.mjs (npm test): vitest
 * itself runs a one-file-at-a-time project only after all the others, so in one process they would
 * not overlap. `npx vitest run` alone still runs both, one after the other.
 *
 * - `measured`, one file at a time: the files whose assertions compare heap, time or growth figures
 *   measured in child processes (two such files at once would disturb each other's figures).
 * - `behaviour`, two files at a time: everything else — unit and option tests, and end-to-end tests
 *   that assert what a command does (exit codes, lines, signals, outcomes) rather than how much it
 *   measured. Most of their wall time is spent waiting (a watch's duration, a server's start, a
 *   Ctrl-C's grace period), which overlaps well.
 *
 * A file moves to `measured` when a figure it asserts is disturbed by other work on the machine.
 */
const MEASURED = [
  'test/e2e/compare-unread-e2e.test.ts',
  'test/e2e/compare-unread-figures.test.ts',
  'test/e2e/compare-unread-heapdump.test.ts',
  'test/e2e/flood-figures.test.ts',
  'test/e2e/flood-leak.test.ts',
  'test/e2e/flood-target.test.ts',
  'test/e2e/leak.test.ts',
  'test/e2e/query-e2e.test.ts',
  'test/e2e/query-loop.test.ts',
  'test/e2e/watch.test.ts',
  'test/integration/measure-session.test.ts',
  'test/integration/unread-strategies.test.ts',
  'test/unit/filler-cost.test.ts',
  'test/unit/loop-meter.test.ts',
];

const shared = {
  globalSetup: ['test/helpers/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'measured',
          include: MEASURED,
          fileParallelism: false,
          // A compare-unread run spawns a child per strategy: on a loaded machine one takes over a minute.
          testTimeout: 180_000,
        },
      },
      {
        test: {
          ...shared,
          name: 'behaviour',
          include: ['test/**/*.test.ts'],
          // The versions subset runs apart, once per pinned Node (vitest.versions.config.ts, .ci/run).
          exclude: [...MEASURED, 'test/versions/**', '**/node_modules/**'],
          maxWorkers: 2,
        },
      },
    ],
  },
});
