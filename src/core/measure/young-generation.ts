import { execFile } from 'node:child_process';
import { getHeapSpaceStatistics } from 'node:v8';

const MB = 1024 * 1024;
/** The old-space cap the probe runs under when the children have none: large enough for V8's largest young generation. */
const PROBE_CAP_MB = 2048;
/** V8's young generation is three semi-spaces: two the scavenger copies between, one for objects it promotes. */
export const SEMI_SPACES = 3;

/**
 * V8's young generation in a child forked from this Node binary (process.execPath, as
 * src/lib/child/fork.ts forks every measuring child) under this old-space cap: the child's
 * heap_size_limit minus its cap, read from one `node --max-old-space-size=<cap>` probe. It is a
 * property of the Node version, not a constant: 48 MB on Node 20 and 22, 192 MB on 24, 96 MB on
 * 26 (docs/node-versions.md). Null when the probe fails.
 */
export async function youngGenerationBytes(maxOldSpaceSizeMB: number | null): Promise<number | null> {
  const cap = maxOldSpaceSizeMB ?? PROBE_CAP_MB;
  const limit = await new Promise<number | null>((resolve) => {
    execFile(
      process.execPath,
      [`--max-old-space-size=${cap}`, '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'],
      { timeout: 10_000, env: { PATH: process.env.PATH ?? '' } },
      (error, stdout) => resolve(error ? null : Number(stdout.trim())),
    );
  });
  return limit !== null && Number.isFinite(limit) && limit > cap * MB ? limit - cap * MB : null;
}

/**
 * This process's young generation now: the semi-space being allocated into (`new_space`), what is
 * in it and its capacity (used + available). A scavenge empties it down to its survivors.
 */
export function youngSpace(): { used: number; capacity: number } {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space ? { used: space.space_used_size, capacity: space.space_used_size + space.space_available_size } : { used: 0, capacity: 0 };
}
