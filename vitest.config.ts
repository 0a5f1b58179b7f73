import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The versions subset runs apart, once per pinned Node (vitest.versions.config.ts, .ci/run).
    exclude: ['test/versions/**', '**/node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: child-process measurements in parallel files would disturb each other.
    fileParallelism: false,
  },
});
