import { pathToFileURL } from 'node:url';
import type { Document, MongoClient } from 'mongodb';
import { markHydrationAfterToArray } from '../hydration-mark.js';
import { describeFields, inferFields, schemaDefinition, type SchemaFactory } from '../infer.js';
import { VariantSkipped, type VariantContext } from './types.js';

/** Inferred from this many documents of the query's collection (the query's own filter first). */
export const INFERENCE_SAMPLE = 200;

export interface MongooseQuery {
  sort(sort: object): MongooseQuery;
  limit(limit: number): MongooseQuery;
  batchSize(size: number): MongooseQuery;
  maxTimeMS(ms: number): MongooseQuery;
  lean(): MongooseQuery;
  exec(): Promise<unknown[]>;
}
interface MongooseModel {
  find(filter: object, projection?: object | null): MongooseQuery;
}
interface MongooseSchema {
  clone(): MongooseSchema;
  set(option: string, value: unknown): void;
  paths: Record<string, { instance?: string }>;
}
interface MongooseConnection {
  asPromise(): Promise<unknown>;
  model(name: string, schema: unknown, collection: string): MongooseModel;
  close(): Promise<void>;
  getClient(): MongoClient;
}
interface MongooseModule extends SchemaFactory {
  mongo?: Parameters<typeof markHydrationAfterToArray>[0]['mongo'];
  createConnection(uri: string, options: object): MongooseConnection;
}

// A variable specifier keeps TypeScript from requiring mongoose's types at build time (optional dependency).
const MONGOOSE = 'mongoose';

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
  let mongoose: MongooseModule;
  try {
    const imported = (await import(MONGOOSE)) as { default?: MongooseModule } & MongooseModule;
    mongoose = imported.default ?? imported;
  } catch (error) {
    throw new VariantSkipped(`mongoose is not installed (optional dependency): ${(error as Error).message.split('\n')[0]}`);
  }
  markHydrationAfterToArray(mongoose, ctx.mark);
  const connection = mongoose.createConnection(ctx.uri, {
    dbName: ctx.dbName,
    autoIndex: false,
    autoCreate: false,
    readPreference: ctx.readPreference,
    monitorCommands: ctx.accounting,
  });
  await connection.asPromise();
  const schema = ctx.modelPath ? await schemaFromModule(ctx.modelPath) : await inferredSchema(ctx, mongoose);
  if (ctx.modelPath) ctx.details.schema = { source: 'model', paths: describeSchema(schema) };
  schema.set('autoIndex', false);
  schema.set('autoCreate', false);
  schema.set('versionKey', false);
  return { connection, model: connection.model(`imdiag_${spec.collection}`, schema, spec.collection) };
}

async function inferredSchema(ctx: VariantContext, mongoose: MongooseModule): Promise<MongooseSchema> {
  const { spec } = ctx;
  const collection = ctx.db.collection(spec.collection);
  const filter = spec.mode === 'find' ? spec.filter : {};
  let documents: Document[] = await collection.find(filter, { limit: INFERENCE_SAMPLE, maxTimeMS: ctx.maxTimeMS }).toArray();
  if (documents.length === 0) documents = await collection.find({}, { limit: INFERENCE_SAMPLE, maxTimeMS: ctx.maxTimeMS }).toArray();
  const fields = inferFields(documents);
  ctx.details.schema = { source: 'inferred', paths: describeFields(fields) };
  return new mongoose.Schema(schemaDefinition(fields, mongoose), { collection: spec.collection, strict: false }) as MongooseSchema;
}

/** --model: a module exporting a Mongoose model (its schema is used on imdiag's read-only connection) or a schema. */
async function schemaFromModule(path: string): Promise<MongooseSchema> {
  const imported = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  for (const value of [imported.default, ...Object.values(imported)]) {
    const candidate = value as { schema?: MongooseSchema; instanceOfSchema?: boolean } | undefined;
    const schema = candidate?.instanceOfSchema ? (candidate as unknown as MongooseSchema) : candidate?.schema?.paths ? candidate.schema : undefined;
    if (schema) return schema.clone();
  }
  throw new Error(`--model ${path} exports no Mongoose model or schema (export default mongoose.model(…) or the schema)`);
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
  let query = model.find(spec.filter, spec.projection ?? null).maxTimeMS(ctx.maxTimeMS);
  if (spec.sort) query = query.sort(spec.sort);
  if (spec.limit) query = query.limit(spec.limit);
  if (spec.batchSize) query = query.batchSize(spec.batchSize);
  if (lean) query = query.lean();
  const documents = await query.exec();
  ctx.probe.docs(documents.length);
  await ctx.atPeak();
  return documents.length;
}
