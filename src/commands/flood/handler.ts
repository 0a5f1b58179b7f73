import { floodParams, runFlood } from '../../engines/flood/run.js';
import type { FloodOptions, FloodResult } from '../../results/flood.js';
import { collectEnvironment } from '../../lib/environment.js';
import { baseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';

/**
 * `imdiag flood`: runs the strategies and returns the result; prints nothing. A strategy that
 * could not run at all is a problem (exit 1); a server that died under load is an outcome.
 */
export async function flood(options: FloodOptions, ctx: RunContext): Promise<FloodResult> {
  const params = floodParams(options);
  const { runs, warnings, stoppedEarly } = await runFlood(options, { signal: ctx.signal, reporter: ctx.reporter });
  const problems = runs.filter((run) => run.outcome === 'error').map((run) => `${run.strategy}: ${run.error}`);
  return { ...baseResult('flood', ctx, collectEnvironment(), problems), params, runs, stoppedEarly, warnings };
}
