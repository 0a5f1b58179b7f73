import type { Condition } from '../../lib/conditions.js';
import { collectEnvironment } from '../../lib/environment.js';
import { decimal, megabytes, milliseconds } from '../../lib/format.js';
import { baseResult } from '../../lib/result.js';
import { stopCause } from '../../lib/stop.js';
import type { FloodTargetParams, FloodTargetResult } from '../../results/flood-target.js';
import { runTarget } from '../../engines/flood-target/run.js';
import { summariseTarget, TARGET_CONDITIONS } from '../../engines/flood-target/summary.js';
import type { RunContext } from '../../lib/run-context.js';
import { judgeFailOn } from '../common/fail-on.js';
import { namingFlags } from '../common/input-errors.js';

/**
 * `imdiag flood --target`: Spider's load against the user's own server; returns the result and
 * prints nothing. A target that dies is an outcome; a --fail-on condition that holds is a problem
 * (exit 1); a run stopped early by a signal exits 130 (src/main.ts) and never reports success.
 */
export async function floodTarget(params: FloodTargetParams, conditions: readonly Condition[], ctx: RunContext): Promise<FloodTargetResult> {
  const target = params.monitor ? `${params.target} (monitors on ${params.monitor.url})` : params.target;
  ctx.reporter.note(
    `flood --target ${target}: ${params.rate} ${params.method}/s for ${params.durationMs / 1000} s, ${params.clients} monitors (${params.slowClients} slow)`,
  );
  const run = await namingFlags(() => runTarget(params, ctx));
  const { body, measured } = summariseTarget(params, run);
  const failOn = judgeFailOn(conditions, measured, describe);
  const problems = [...failOn.problems, ...(body.outcome === 'stopped' ? [`stopped early (${stopCause(ctx.signal)}): the figures cover what ran`] : [])];
  // --leak asked for an analysis the load completed for: one that could not be made (ids reset, no room for the snapshot) is a problem.
  if (run.leak?.status === 'skipped' && run.outcome === 'completed') problems.push(`--leak: no leak analysis: ${run.leak.reason}`);
  const base = baseResult('flood-target', ctx, collectEnvironment(), problems);
  // Credentials given with --header stay out of the result (and so out of --json and every report).
  const { warnings, ...figures } = body;
  return {
    ...base,
    argv: base.argv.map(maskHeaderValue),
    ...figures,
    failOn: failOn.outcomes,
    warnings,
    params: { ...body.params, headers: body.params.headers.map(([name, value]) => [name, SENSITIVE.test(name) ? MASK : value]) },
  };
}

const SENSITIVE = /^(authorization|proxy-authorization|cookie|x-api-key|x-auth-token|api-key)$/i;
const MASK = '***';

function maskHeaderValue(arg: string): string {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(arg);
  return match && SENSITIVE.test(match[1]!) ? `${match[1]}: ${MASK}` : arg;
}

function describe(figure: string, value: number): string {
  const kind = TARGET_CONDITIONS.figures[figure];
  if (kind === 'bytes') return megabytes(value);
  if (kind === 'duration') return milliseconds(value);
  return decimal(value, 1);
}
