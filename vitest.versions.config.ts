import { defineConfig } from 'vitest/config';

/**
 * The versions subset: test/versions/ only, run by .ci/run once per pinned Node build with
 * IMDIAG_NODE pointing at it (imdiag, its targets and its children run there; vitest on the
 * machine's Node). Serial, like the whole suite: child-process measurements disturb each other.
 */
export default defineConfig({
  test: {
    include: ['test/versions/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
