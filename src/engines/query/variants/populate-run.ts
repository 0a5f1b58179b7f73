import type { Document } from 'mongodb';
import type { PopulateSampleQueries, PopulateTarget } from '../../../results/query-populate.js';
import { explainSpec } from '../explain.js';
import { loadModelModule } from '../mongoose-module.js';
import { inferSchemaOf, modelQuery, mongooseOrSkip, openModel, type MongooseModel, type MongooseSchema, type OpenedModel } from './mongoose-model.js';
import type { VariantContext } from './types.js';

interface Counter {
  queries: number;
  idsTotal: number;
  idsMax: number;
  first: Document | null;
}

interface OpenedPopulate extends OpenedModel {
  refs: MongooseModel[];
  /** The run being counted, by referenced collection; null between runs. */
  capture: { counters: Map<string, Counter> | null };
}

/**
 * The parents' model and one model per referenced collection on imdiag's read-only connection: the
 * ref model's schema when --model's module registered it, else one inferred from the collection.
 * Mongoose's `debug` hook on the connection sees every find it sends (collection, filter) at the
 * cost of a function call: no command monitoring (which parses every reply twice) on the measured runs.
 */
async function openPopulate(ctx: VariantContext, targets: readonly PopulateTarget[]): Promise<OpenedPopulate> {
  const opened = await openModel(ctx);
  const mongoose = await mongooseOrSkip();
  const registered = ctx.modelPath ? (await loadModelModule<MongooseSchema>(ctx.modelPath)).models : {};
  const refs: MongooseModel[] = [];
  for (const target of targets) {
    const known = target.ref ? registered[target.ref] : undefined;
    const schema =
      known && known.collection.collectionName === target.collection
        ? known.schema.clone()
        : (await inferSchemaOf(ctx, mongoose, target.collection, {})).schema;
    schema.set('autoIndex', false);
    schema.set('autoCreate', false);
    refs.push(opened.connection.model(`imdiag_ref_${target.path}`, schema, target.collection));
  }
  const capture: OpenedPopulate['capture'] = { counters: null };
  opened.connection.set('debug', (collection: string, method: string, filter?: Document) => {
    const counter = capture.counters?.get(collection);
    if (!counter || method !== 'find') return;
    const ids = inIds(filter);
    counter.queries++;
    counter.idsTotal += ids;
    counter.idsMax = Math.max(counter.idsMax, ids);
    counter.first ??= filter ?? null;
  });
  return { ...opened, refs, capture };
}

/** Ids in a populate filter's `$in` (createPopulateQueryFilter in mongoose: `{[foreignField]: {$in: ids}}`). */
function inIds(filter: Document | undefined): number {
  for (const value of Object.values(filter ?? {})) {
    const ids = (value as { $in?: unknown } | null)?.$in;
    if (Array.isArray(ids)) return ids.length;
  }
  return 0;
}

/** The query with `.populate()` per --populate path, lean or hydrated, its follow-up finds counted per run. */
export async function populateThroughModel(ctx: VariantContext, lean: boolean): Promise<number> {
  const { spec } = ctx;
  if (spec.mode !== 'find' || !spec.populate?.length) return 0;
  const targets = spec.populate;
  const opened = await ctx.shared(
    ctx.accounting ? 'populate-monitored' : 'populate',
    () => openPopulate(ctx, targets),
    (resource) => resource.connection.close(),
  );
  ctx.watch(opened.connection.getClient());
  let query = modelQuery(opened.model, spec, ctx.maxTimeMS, lean);
  targets.forEach((target, i) => {
    query = query.populate({ path: target.path, model: opened.refs[i] });
  });
  const counters = new Map(targets.map((t): [string, Counter] => [t.collection, { queries: 0, idsTotal: 0, idsMax: 0, first: null }]));
  opened.capture.counters = counters;
  const documents = await query.exec();
  opened.capture.counters = null;
  ctx.probe.docs(documents.length);
  await ctx.atPeak();
  const paths = (ctx.details.populate ??= targets.map((t) => ({ path: t.path, collection: t.collection, runs: [], server: null })));
  for (const path of paths) {
    const counter = counters.get(path.collection)!;
    const run = { parents: documents.length, queries: counter.queries, idsTotal: counter.idsTotal, idsMax: counter.idsMax };
    path.runs = [...path.runs.filter((r) => r.parents !== run.parents), run];
    if (ctx.accounting && counter.first) path.server = await serverWork(ctx, path.collection, counter.first);
  }
  return documents.length;
}

async function serverWork(ctx: VariantContext, collection: string, filter: Document): Promise<PopulateSampleQueries['server']> {
  const server = await explainSpec(ctx.db, { mode: 'find', collection, filter: { ...filter } }, ctx.maxTimeMS);
  if (!server.explained) return null;
  return {
    planSummary: server.planSummary ?? '',
    keysExamined: server.keysExamined ?? null,
    docsExamined: server.docsExamined ?? null,
    nReturned: server.nReturned ?? null,
  };
}
