/**
 * flood --target --leak: how long after the producers stop the final snapshot is taken. What a
 * server frees once its load ends (responses flushed, timers, queues draining) is not a leak.
 * The code (leak.ts), --help (src/commands/flood-target/options.ts) and the report read it here;
 * test/cli/flood-leak-cooldown.test.ts holds the README and docs/results.md to it.
 */
export const LEAK_COOLDOWN_MS = 5_000;
