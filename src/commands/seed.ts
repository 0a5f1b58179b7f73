import { openTarget } from '../lib/mongo/target.js';
import type { RunContext } from '../lib/run-context.js';
import type { SeedResult } from '../seed/result.js';
import { seedInto } from '../seed/run.js';
import type { SeedOptions } from './seed-options.js';

export type { SeedOptions } from './seed-options.js';
export { validateSeedOptions } from './seed-options.js';

/** `imdiag seed`: opens the target (embedded by default), seeds it (src/seed/run.ts), closes it. */
export async function seed(opts: SeedOptions, ctx: RunContext): Promise<SeedResult> {
  const target = await openTarget(opts.target);
  try {
    return await seedInto(target, opts, ctx);
  } finally {
    await target.close();
  }
}
