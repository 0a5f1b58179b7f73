import type { Db } from 'mongodb';
import { CheckError, InputError } from '../../lib/errors.js';
import { redactText } from '../../lib/mongo/redact.js';
import { claimDatabase, readMark, recordDataset } from '../../lib/mongo/ownership.js';
import type { MongoTarget } from '../../lib/mongo/target.js';
import type { BaseResult } from '../../lib/result.js';
import type { RunContext } from '../../lib/run-context.js';
import { Simulation, heavyUserId, type DatasetSpec } from './generator.js';
import { loadBatches } from './load.js';
import { PROFILES, WINDOW_MONTHS, scaleProfile, startOfTodayUtc, windowStart } from '../../core/webim/profiles.js';
import type { DatasetParams, ProfileName, SeedResult } from '../../results/seed.js';
import { COLLECTIONS, INDEXES, type CollectionName } from '../../core/webim/schema.js';
import { collectionSummaries, databaseSize } from './stats.js';

import { DEFAULT_BATCH_SIZE, DEFAULT_SEED } from './defaults.js';

export { DEFAULT_BATCH_SIZE, DEFAULT_SEED } from './defaults.js';
/** Two batches in flight: one being stored while the next is generated and serialized. */
export const IN_FLIGHT_BATCHES = 2;

const ALL_COLLECTIONS = Object.values(COLLECTIONS);

/** What to seed: the dataset and how to load it. */
export interface SeedPlan {
  profile: ProfileName;
  scale: number;
  /** The profile × scale with the flag overrides applied. */
  params: DatasetParams;
  seed: number;
  /** The end of the generated history; with the seed, it fixes the data. */
  anchor: Date;
  batchSize: number;
  drop: boolean;
}

/** A profile as `imdiag seed --profile <name>` seeds it without other flags. */
export function defaultSeedPlan(profile: ProfileName, now: Date = new Date()): SeedPlan {
  return {
    profile,
    scale: 1,
    params: scaleProfile(PROFILES[profile], 1),
    seed: DEFAULT_SEED,
    anchor: startOfTodayUtc(now),
    batchSize: DEFAULT_BATCH_SIZE,
    drop: false,
  };
}

/** What the seed engine did: the result without its envelope (the command adds it), and the problems it found. */
export interface SeedRun {
  readonly body: Omit<SeedResult, keyof BaseResult>;
  readonly problems: string[];
}

/** Seeds an open target: `imdiag seed`, and compare-unread on an empty embedded database. */
export async function seedInto(target: MongoTarget, opts: SeedPlan, ctx: RunContext): Promise<SeedRun> {
  const started = process.hrtime.bigint();
  const { db } = target;
  const claim = await claimDatabase(db, { drop: opts.drop, ownCollections: ALL_COLLECTIONS });
  if (claim === 'existing') await refuseSeeded(db);
  const anchor = opts.anchor;
  const spec: DatasetSpec = { params: opts.params, seed: opts.seed, anchor, windowStart: windowStart(anchor, WINDOW_MONTHS), batchSize: opts.batchSize };

  // A counting pass (no documents built) gives the exact total for the progress bar's ETA.
  const counting = new Simulation(spec, false);
  for (const _batch of counting.run());
  const total = counting.tally.totalDocuments;

  for (const name of ALL_COLLECTIONS) await db.createCollection(name).catch(ignoreExisting);
  const simulation = new Simulation(spec);
  const progress = ctx.reporter.progress(`seeding ${opts.profile}`, total);
  const load = await loadBatches(db, simulation.run(), {
    concurrency: IN_FLIGHT_BATCHES,
    signal: ctx.signal,
    onProgress: (done) => progress.update(done),
  }).catch((error: unknown) => {
    // A write the server refused (a full disk, a quota, …) as it comes: the cause in one line, not a stack.
    throw new CheckError(
      `the server refused a write while seeding: ${redactText(error instanceof Error ? error.message : String(error)).split('\n')[0]}; the dataset is incomplete, re-run with --drop once fixed`,
    );
  });
  progress.done();

  const indexStarted = process.hrtime.bigint();
  for (const name of ALL_COLLECTIONS) {
    const indexes = INDEXES[name];
    if (indexes.length > 0) await db.collection(name).createIndexes(indexes);
  }
  const indexMs = Number(process.hrtime.bigint() - indexStarted) / 1e6;

  const { tally } = simulation;
  const { collections, sizeSource } = await collectionSummaries(db, ALL_COLLECTIONS);
  const problems: string[] = [];
  if (!load.complete) problems.push(`stopped after ${load.documents} of ${total} documents; the dataset is incomplete, re-run with --drop`);
  else {
    for (const summary of collections) {
      const expected = tally.documents[summary.name];
      if (summary.documents !== expected) problems.push(`${summary.name} holds ${summary.documents} documents, ${expected} were inserted`);
    }
  }

  const heavyUser = tally.figures(heavyUserId());
  const body: SeedRun['body'] = {
    database: { name: target.dbName, claim },
    dataset: {
      profile: opts.profile,
      scale: opts.scale,
      seed: opts.seed,
      anchor: anchor.toISOString(),
      windowStart: spec.windowStart.toISOString(),
      windowMonths: WINDOW_MONTHS,
      params: opts.params,
      heavyUserId: heavyUserId(),
    },
    collections,
    sizeSource,
    databaseSize: await databaseSize(db),
    heavyUser,
    busiestOther: { byReceivedMsgs: tally.busiestOther('receivedMsgs'), byReceipts: tally.busiestOther('receipts') },
    receiptsPerMsg: tally.documents.msgs > 0 ? Math.round((tally.documents.readMsgs / tally.documents.msgs) * 10) / 10 : 0,
    load: {
      documents: load.documents,
      batchSize: opts.batchSize,
      loadMs: Math.round(load.loadMs),
      docsPerSecond: load.loadMs > 0 ? Math.round(load.documents / (load.loadMs / 1000)) : 0,
      indexMs: Math.round(indexMs),
      totalMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
      peakHeapUsedBytes: load.peakHeapUsedBytes,
      peakRssBytes: load.peakRssBytes,
      complete: load.complete,
    },
  };
  // Recorded only for a complete dataset: compare-unread reads the profile, anchor and heavy user from the mark.
  if (problems.length === 0) await recordDataset(db, { ...body.dataset, documents: tally.documents, seededAt: new Date().toISOString(), heavyUser });
  return { body, problems };
}

/** An imdiag database that already holds WebIM data (complete or half-seeded) is re-seeded only with --drop. */
async function refuseSeeded(db: Db): Promise<void> {
  const mark = await readMark(db);
  let holdsData = mark?.dataset !== undefined;
  for (const name of ALL_COLLECTIONS)
    holdsData ||= (await db.collection<{ _id: unknown }>(name as CollectionName).findOne({}, { projection: { _id: 1 } })) !== null;
  if (!holdsData) return;
  const profile =
    typeof mark?.dataset?.profile === 'string'
      ? ` (profile ${mark.dataset.profile}, seeded ${String(mark.dataset.seededAt ?? 'partly')})`
      : ' (an incomplete earlier seed)';
  throw new InputError('db', `${db.databaseName} already holds an imdiag dataset${profile}; pass --drop to replace it`, ' ');
}

function ignoreExisting(error: unknown): void {
  // 48 NamespaceExists: an empty imdiag database may already have the collections.
  if ((error as { code?: number }).code !== 48) throw error;
}
