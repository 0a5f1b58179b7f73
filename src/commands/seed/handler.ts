import { collectEnvironment } from '../../lib/environment.js';
import { CheckError } from '../../lib/errors.js';
import { redactText } from '../../lib/mongo/redact.js';
import { openTarget } from '../../lib/mongo/target.js';
import { baseResult } from '../../lib/result.js';
import { checkPersisted } from '../../engines/seed/persisted.js';
import type { RunContext } from '../../lib/run-context.js';
import type { SeedResult } from '../../results/seed.js';
import { seedInto } from '../../engines/seed/run.js';
import type { SeedOptions } from './options.js';
import { withFlagName } from '../common/input-errors.js';

export type { SeedOptions } from './options.js';
export { validateSeedOptions } from './options.js';

/** `imdiag seed`: opens the target (embedded by default), seeds it (src/engines/seed/run.ts), closes it. */
export async function seed(opts: SeedOptions, ctx: RunContext): Promise<SeedResult> {
  const target = await openTarget(opts.target);
  let result: SeedResult;
  try {
    const run = await seedInto(target, opts, ctx);
    result = { ...baseResult('seed', ctx, collectEnvironment(target), run.problems), ...run.body };
  } catch (error) {
    const exit = await target.close().catch(() => null);
    // A server that died under the load explains the network error the load got.
    if (exit && !exit.clean && exit.cause) throw new CheckError(`${exit.cause}: ${redactText(error instanceof Error ? error.message : String(error))}`);
    throw withFlagName(error);
  }
  const exit = await target.close();
  if (exit === null) return result;
  const embeddedServer = await checkPersisted(result, exit, opts.target);
  return { ...result, embeddedServer, problems: embeddedServer.problem ? [...result.problems, embeddedServer.problem] : result.problems };
}
