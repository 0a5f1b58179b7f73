import { existsSync } from 'node:fs';
import { sendFinal } from '../../lib/child/in-child.js';
import { warmUp } from '../../core/measure/runs.js';
import { endOfChild, openSession, receiveSessionConfig, type MeasuredRun } from '../../core/measure/session.js';
import { probeRun, retainedRuns } from './child-runs.js';
import type { ChildConfig, ChildMessage } from './protocol.js';
import { strategyNamed } from './strategies/index.js';
import type { StrategyDetails } from './strategies/types.js';

/**
 * Child entry of compare-unread (protocol: protocol.ts, ../lib/child/protocol.ts). Runs under
 * `node --expose-gc` in the measuring session of src/core/measure/session.ts: warm-up, timed runs
 * (src/core/measure/runs.ts), the retained heap and the probe run (child-runs.ts), then one message;
 * closes everything and lets the process end on its own (only src/main.ts calls process.exit).
 */
const { config, spawnMs } = await receiveSessionConfig<ChildConfig>();
const strategy = strategyNamed(config.strategy);
const details: StrategyDetails = {};
const session = openSession(config, { appName: `imdiag-unread-${config.strategy}`, probeRuns: config.probeRuns });

/** The strategy, given what the session shares and what is compare-unread's own. */
const run: MeasuredRun<string[]> = (context) =>
  strategy.run({
    ...context,
    userId: config.userId,
    windowStart: new Date(config.windowStart),
    bloomFalsePositiveRate: config.bloomFalsePositiveRate,
    details,
  });

async function measure(): Promise<ChildMessage> {
  const { db, connectMs } = await session.connect();
  const replies = await warmUp(session, db, run);
  const timed = await retainedRuns(session, db, run);
  const measuredPeakBytes = Math.max(0, ...timed.runs.map((run) => run.peakHeapBytes));
  const baseBytes = timed.heapAfterBytes;
  // Several probe runs: one reading of the live heap at peak is not stable (see protocol.ts liveAtPeakRunsBytes).
  const probe = await probeRun(session, db, run, { baseBytes, measuredPeakBytes, snapshotPath: config.heapSnapshotPath, index: 1 });
  const liveAtPeakRunsBytes = probe.liveAtPeakBytes === null ? [] : [probe.liveAtPeakBytes];
  for (let i = 1; i < config.probeRuns && !probe.refused && probe.liveAtPeakBytes !== null; i++) {
    const again = await probeRun(session, db, run, { baseBytes, measuredPeakBytes, index: i + 1 });
    if (again.liveAtPeakBytes !== null) liveAtPeakRunsBytes.push(again.liveAtPeakBytes);
  }
  session.sampler.stop();

  return {
    type: 'result',
    strategy: config.strategy,
    runs: timed.runs,
    warmupRuns: config.warmupRuns,
    heapBeforeBytes: timed.heapBeforeBytes,
    retainedBytes: timed.heapAfterBytes - timed.heapBeforeBytes,
    retainedNoiseBytes: timed.settledNoiseBytes,
    liveAtPeakBytes: probe.liveAtPeakBytes,
    liveAtPeakRunsBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...replies,
    heapSamples: timed.heapSamples,
    spawnMs,
    connectMs,
    unreadIds: timed.unreadIds,
    notes: [...session.notes],
    ...details,
    ...(probe.snapshot && existsSync(probe.snapshot.path) && { heapSnapshot: probe.snapshot }),
  };
}

await sendFinal(await endOfChild(session, { strategy: config.strategy }, measure));
