import type { Document, MongoClient } from 'mongodb';
import { markHydrationAfterToArray } from '../hydration-mark.js';
import { describeFields, inferFields, schemaDefinition, type SchemaFactory } from '../infer.js';
import { importMongoose, INSTALL_MONGOOSE, loadModelModule } from '../mongoose-module.js';
import type { QuerySpec } from '../spec.js';
import { VariantSkipped, type VariantContext } from './types.js';

/** Inferred from this many documents of the query's collection (the query's own filter first). */
export const INFERENCE_SAMPLE = 200;

export interface MongooseQuery {
  sort(sort: object): MongooseQuery;
  limit(limit: number): MongooseQuery;
  batchSize(size: number): MongooseQuery;
  maxTimeMS(ms: number): MongooseQuery;
  lean(): MongooseQuery;
  populate(options: object): MongooseQuery;
  exec(): Promise<unknown[]>;
}
export interface MongooseModel {
  find(filter: object, projection?: object | null): MongooseQuery;
}
export interface MongooseSchema {
  clone(): MongooseSchema;
  set(option: string, value: unknown): void;
  paths: Record<string, { instance?: string }>;
}
export interface MongooseConnection {
  asPromise(): Promise<unknown>;
  set(option: string, value: unknown): void;
  model(name: string, schema: unknown, collection: string): MongooseModel;
  close(): Promise<void>;
  getClient(): MongoClient;
}
export interface MongooseModule extends SchemaFactory {
  mongo?: Parameters<typeof markHydrationAfterToArray>[0]['mongo'];
  createConnection(uri: string, options: object): MongooseConnection;
}

export interface OpenedModel {
  connection: MongooseConnection;
  model: MongooseModel;
}

/**
 * A read-only Mongoose connection (autoIndex and autoCreate off: it never creates a collection or an
 * index) and the model: the team's (--model) or one inferred from a sample. Skipped when the
 * optional mongoose is not installed.
 */
export async function openModel(ctx: VariantContext): Promise<OpenedModel> {
  const { spec } = ctx;
  const mongoose = await mongooseOrSkip();
  markHydrationAfterToArray(mongoose, ctx.mark);
  const connection = mongoose.createConnection(ctx.uri, {
    dbName: ctx.dbName,
    autoIndex: false,
    autoCreate: false,
    readPreference: ctx.readPreference,
    monitorCommands: ctx.accounting,
  });
  await connection.asPromise();
  const schema = ctx.modelPath ? (await loadModelModule<MongooseSchema>(ctx.modelPath)).schema : await inferredSchema(ctx, mongoose);
  if (ctx.modelPath) ctx.details.schema = { source: 'model', paths: describeSchema(schema) };
  schema.set('autoIndex', false);
  schema.set('autoCreate', false);
  schema.set('versionKey', false);
  return { connection, model: connection.model(`imdiag_${spec.collection}`, schema, spec.collection) };
}

export async function mongooseOrSkip(): Promise<MongooseModule> {
  const imported = await importMongoose<MongooseModule>();
  if ('missing' in imported) throw new VariantSkipped(`mongoose is not installed (optional dependency; ${INSTALL_MONGOOSE}): ${imported.missing}`);
  return imported.mongoose;
}

async function inferredSchema(ctx: VariantContext, mongoose: MongooseModule): Promise<MongooseSchema> {
  const { spec } = ctx;
  const { schema, fields } = await inferSchemaOf(ctx, mongoose, spec.collection, spec.mode === 'find' ? spec.filter : {});
  ctx.details.schema = { source: 'inferred', paths: describeFields(fields) };
  return schema;
}

/** A schema inferred from the first INFERENCE_SAMPLE documents matching `filter` (any, when none match). */
export async function inferSchemaOf(ctx: VariantContext, mongoose: MongooseModule, name: string, filter: Document) {
  const collection = ctx.db.collection(name);
  let documents: Document[] = await collection.find(filter, { limit: INFERENCE_SAMPLE, maxTimeMS: ctx.maxTimeMS }).toArray();
  if (documents.length === 0) documents = await collection.find({}, { limit: INFERENCE_SAMPLE, maxTimeMS: ctx.maxTimeMS }).toArray();
  const fields = inferFields(documents);
  return { fields, schema: new mongoose.Schema(schemaDefinition(fields, mongoose), { collection: name, strict: false }) as MongooseSchema };
}

export function describeSchema(schema: MongooseSchema): Record<string, string> {
  return Object.fromEntries(Object.entries(schema.paths).map(([path, type]) => [path, type.instance ?? 'Mixed']));
}

/** The query through the model; lean or hydrated. */
export async function findThroughModel(ctx: VariantContext, lean: boolean): Promise<number> {
  const { spec } = ctx;
  if (spec.mode !== 'find') return 0;
  const key = ctx.accounting ? 'mongoose-monitored' : 'mongoose';
  const { connection, model } = await ctx.shared(
    key,
    () => openModel(ctx),
    (opened) => opened.connection.close(),
  );
  ctx.watch(connection.getClient());
  const documents = await modelQuery(model, spec, ctx.maxTimeMS, lean).exec();
  ctx.probe.docs(documents.length);
  await ctx.atPeak();
  return documents.length;
}

/** The find as the team's code writes it: Model.find(filter, projection) with its sort, limit, batch size, lean or not. */
export function modelQuery(model: MongooseModel, spec: Extract<QuerySpec, { mode: 'find' }>, maxTimeMS: number, lean: boolean): MongooseQuery {
  let query = model.find(spec.filter, spec.projection ?? null).maxTimeMS(maxTimeMS);
  if (spec.sort) query = query.sort(spec.sort);
  if (spec.limit) query = query.limit(spec.limit);
  if (spec.batchSize) query = query.batchSize(spec.batchSize);
  return lean ? query.lean() : query;
}
