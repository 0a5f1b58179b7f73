import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { RunContext } from '../../lib/run-context.js';
import { LONG_QUERY_CONNECT_TIMEOUT_MS, type MongoTarget } from '../../lib/mongo/target.js';
import type { BaseResult } from '../../lib/result.js';
import { stopCause } from '../../lib/stop.js';
import { checkAgreement, verdictFor, type Answer } from './agreement.js';
import { chooseDataset, type SeedDemo } from './dataset.js';
import { explainStrategy } from '../../core/measure/explain.js';
import { summariseSnapshot } from './heap-summary.js';
import { answerOf, buildOutcome, type StrategyFacts } from './outcome.js';
import type { ChildConfig } from './protocol.js';
import type { CompareUnreadOptions } from './options.js';
import type { CompareUnreadResult, StrategyName } from '../../results/compare-unread.js';
import { CHILD_TIMEOUT_MS } from '../../core/measure/run-child.js';
import { queueProgress } from '../../core/measure/queue-progress.js';
import { runChild } from './run-child.js';
import { SAMPLER_INTERVAL_MS } from '../../core/measure/sampler.js';
import { SEMI_SPACES, youngGenerationBytes } from '../../core/measure/young-generation.js';
import { strategyNamed } from './strategies/index.js';

interface QueueRun {
  target: MongoTarget;
  explainer: Db;
  params: { userId: string; windowStart: Date };
  opts: CompareUnreadOptions;
  ctx: RunContext;
}

/** One child per entry, one after the other (two strategies at once would disturb each other's figures). */
async function runQueue(
  queue: QueueEntry[],
  { explainer, params, opts, ctx }: QueueRun,
): Promise<{ measured: StrategyFacts[]; interrupted: StrategyName | null }> {
  const measured: StrategyFacts[] = [];
  const progress = queueProgress(ctx.reporter, { title: 'compare-unread', total: queue.length });
  try {
    for (const [index, entry] of queue.entries()) {
      if (ctx.signal.aborted) break;
      const strategy = strategyNamed(entry.strategy);
      ctx.reporter.note(`compare-unread: ${entry.strategy} (${index + 1}/${queue.length}) for ${params.userId}…`);
      progress.start(entry.strategy);
      const child = await runChild(entry.config, {
        maxOldSpaceSizeMB: opts.maxOldSpaceSizeMB,
        timeoutMs: CHILD_TIMEOUT_MS,
        signal: ctx.signal,
        onProgress: progress.onProgress,
      });
      // A strategy killed because the run was stopped has no figures: it is not an outcome (crashed), it is where the run stopped.
      if (child.kind === 'death' && ctx.signal.aborted) return { measured, interrupted: entry.strategy };
      const skipped = child.kind === 'message' && child.message.type === 'skipped';
      const snapshot = child.kind === 'message' && child.message.type === 'result' ? child.message.heapSnapshot : undefined;
      if (!skipped) progress.phase('explain');
      const server = skipped ? undefined : await explainStrategy(explainer, await strategy.queries(params, explainer));
      if (snapshot) progress.phase('heap snapshot');
      measured.push({
        strategy,
        child,
        ...(server && { server }),
        ...(snapshot && { heapSnapshot: await summariseSnapshot(snapshot.path, snapshot.writer) }),
      });
    }
  } finally {
    progress.end();
  }
  return { measured, interrupted: null };
}

/**
 * Explain on its own connection with long timeouts (LONG_QUERY_CONNECT_TIMEOUT_MS): explaining a query over hundreds of
 * thousands of receipts can keep a busy (or single-threaded) server from answering the
 * driver's 5 s heartbeat, which would otherwise tear down the target's connections.
 */
async function openExplainer(target: MongoTarget): Promise<{ db: Db; close(): Promise<void> }> {
  if (!target.uri) return { db: target.db, close: async () => undefined };
  const client = new MongoClient(target.uri, {
    appName: 'imdiag-explain',
    connectTimeoutMS: LONG_QUERY_CONNECT_TIMEOUT_MS,
    socketTimeoutMS: 0,
    serverSelectionTimeoutMS: 30_000,
    heartbeatFrequencyMS: 60_000,
  });
  await client.connect();
  return { db: client.db(target.dbName), close: () => client.close() };
}

/** One queue entry: the run matrix (docs/architecture.md, house rule 6) is strategies × this configuration. */
interface QueueEntry {
  strategy: StrategyName;
  config: Omit<ChildConfig, 'forkedAtNs'>;
}

/** What the engine measured: the result without its envelope (the command adds it), and the problems it found. */
export interface CompareRun {
  readonly body: Omit<CompareUnreadResult, keyof BaseResult>;
  readonly problems: string[];
}

/**
 * The compare-unread engine on an open target: choose the dataset and user, run every strategy
 * in its own child, explain its queries, check the answers agree, and reach a verdict.
 */
export async function compareOnTarget(target: MongoTarget, opts: CompareUnreadOptions, ctx: RunContext, seedDemo: SeedDemo): Promise<CompareRun> {
  const dataset = await chooseDataset(target, { user: opts.user, windowMonths: opts.windowMonths }, ctx, seedDemo);
  const params = { userId: dataset.user, windowStart: dataset.windowStart };
  const queue: QueueEntry[] = opts.strategies.map((strategy) => ({
    strategy,
    config: {
      strategy,
      uri: target.uri ?? target.displayUri,
      dbName: target.dbName,
      userId: dataset.user,
      windowStart: dataset.windowStart.toISOString(),
      runs: opts.runs,
      warmupRuns: opts.warmupRuns,
      probeRuns: opts.probeRuns,
      samplerIntervalMs: SAMPLER_INTERVAL_MS,
      bloomFalsePositiveRate: opts.bloomFalsePositiveRate,
      ...(opts.heapdumpDir && { heapSnapshotPath: join(opts.heapdumpDir, `${strategy}.heapsnapshot`) }),
    },
  }));

  // The children's young generation (their Node's, under their cap) sets what "clearly lower" peaks must beat.
  const youngGeneration = youngGenerationBytes(opts.maxOldSpaceSizeMB);
  const explainer = await openExplainer(target);
  let measured: StrategyFacts[];
  let interrupted: StrategyName | null;
  try {
    ({ measured, interrupted } = await runQueue(queue, { target, explainer: explainer.db, params, opts, ctx }));
  } finally {
    await explainer.close();
  }

  const answers = measured.flatMap((facts): Answer[] => {
    const unreadIds = answerOf(facts);
    return unreadIds ? [{ strategy: facts.strategy.name, exact: facts.strategy.exact, unreadIds }] : [];
  });
  const agreement = checkAgreement(answers, opts.bloomFalsePositiveRate);
  const outcomes = measured.map((facts) => buildOutcome(facts, agreement, opts.bloomFalsePositiveRate));
  const problems: string[] = [];
  for (const outcome of outcomes) if (outcome.status === 'disagrees') problems.push(`${outcome.name} disagrees with ${agreement.reference}: ${outcome.reason}`);
  for (const outcome of outcomes) if (outcome.status === 'error' || outcome.status === 'crashed') problems.push(`${outcome.name}: ${outcome.reason}`);
  if (ctx.signal.aborted) {
    const during = interrupted ? ` during ${interrupted}` : '';
    problems.push(`stopped (${stopCause(ctx.signal)})${during}, after ${outcomes.length} of ${queue.length} strategies`);
  }

  const body: CompareRun['body'] = {
    options: {
      user: dataset.user,
      userRequested: opts.user,
      userSource: dataset.userSource,
      strategies: opts.strategies,
      runs: opts.runs,
      warmupRuns: opts.warmupRuns,
      probeRuns: opts.probeRuns,
      windowMonths: opts.windowMonths,
      windowAnchor: dataset.anchor.toISOString(),
      windowAnchorSource: dataset.anchorSource,
      windowStart: dataset.windowStart.toISOString(),
      maxOldSpaceSizeMB: opts.maxOldSpaceSizeMB,
      heapdump: opts.heapdumpDir !== null,
      quick: opts.quick,
      samplerIntervalMs: SAMPLER_INTERVAL_MS,
      bloomFalsePositiveRate: opts.bloomFalsePositiveRate,
    },
    dataset: dataset.info,
    strategies: outcomes,
    agreement,
    verdict: verdictFor(outcomes, opts.maxOldSpaceSizeMB, {
      probeRuns: opts.probeRuns,
      exact: new Set(opts.strategies.filter((name) => strategyNamed(name).exact)),
      semiSpaceBytes: semiSpace(await youngGeneration),
    }),
  };
  return { body, problems };
}

const semiSpace = (youngBytes: number | null): number | null => (youngBytes === null ? null : youngBytes / SEMI_SPACES);
