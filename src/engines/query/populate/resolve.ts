import type { Db } from 'mongodb';
import { InputError } from '../../../lib/errors.js';
import type { PopulateTarget } from '../../../results/query-populate.js';
import { checkCollection, hasField } from '../checks.js';
import { importMongoose, INSTALL_MONGOOSE, loadModelModule } from '../mongoose-module.js';
import type { QuerySpec } from '../spec.js';

/** One --populate item as typed: a path, and the collection it points to when said (PATH:collection). */
export interface PopulateRequest {
  path: string;
  collection: string | null;
}

interface SchemaType {
  instance?: string;
  options?: { ref?: unknown };
  embeddedSchemaType?: SchemaType;
  caster?: SchemaType;
}
interface Schema {
  clone(): Schema;
  path(path: string): SchemaType | undefined;
  paths: Record<string, unknown>;
}
interface Mongoose {
  pluralize(): ((name: string) => string) | null;
}

/**
 * Where each --populate path points, checked before anything is measured (exit 2 naming the path):
 * Mongoose installed; with --model, a path of its schema with a `ref` (its collection: the ref
 * model's, when the module registered it, else Mongoose's default name for the model); without
 * --model, a field of the query's collection; the referenced collection exists.
 */
export async function resolvePopulate(
  db: Db,
  spec: Extract<QuerySpec, { mode: 'find' }>,
  requests: readonly PopulateRequest[],
  modelPath: string | null,
  maxTimeMS: number,
): Promise<PopulateTarget[]> {
  const imported = await importMongoose<Mongoose>();
  if ('missing' in imported) throw new InputError('populate', `needs Mongoose, which is not installed (an optional dependency of imdiag): ${INSTALL_MONGOOSE}`);
  const model = modelPath ? await loadModelModule<Schema>(modelPath) : null;
  const targets: PopulateTarget[] = [];
  for (const request of requests) {
    const target = model ? fromSchema(request, model, imported.mongoose) : { path: request.path, collection: request.collection!, ref: null };
    if (!model && !(await hasField(db, spec.collection, request.path, maxTimeMS)))
      throw new InputError('populate', `${request.path}: no document in ${spec.collection} has a field '${request.path}'`);
    try {
      await checkCollection(db, target.collection);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError('populate', `${request.path} points to ${target.collection}: ${error.reason}`);
    }
    targets.push(target);
  }
  return targets;
}

function fromSchema(request: PopulateRequest, model: Awaited<ReturnType<typeof loadModelModule<Schema>>>, mongoose: Mongoose): PopulateTarget {
  const type = model.schema.path(request.path);
  if (!type) {
    const paths = Object.keys(model.schema.paths).filter((p) => p !== '_id' && p !== '__v');
    throw new InputError('populate', `${request.path} is not a path of --model's schema (it has ${paths.join(', ')})`);
  }
  const ref = type.options?.ref ?? type.embeddedSchemaType?.options?.ref ?? type.caster?.options?.ref;
  if (ref === undefined || ref === null) {
    if (request.collection) return { path: request.path, collection: request.collection, ref: null };
    throw new InputError(
      'populate',
      `${request.path} is not a ref in --model's schema (${type.instance ?? 'Mixed'} without ref): populate follows a ref; add one, or say where it points (${request.path}:collection)`,
    );
  }
  const named = ref as { modelName?: string; collection?: { collectionName?: string } };
  if (typeof ref !== 'string' && !named.modelName)
    throw new InputError('populate', `${request.path}'s ref is a function (chosen per document): say where it points (${request.path}:collection)`);
  const name = typeof ref === 'string' ? ref : named.modelName!;
  const registered = typeof ref === 'string' ? model.models[name]?.collection.collectionName : named.collection?.collectionName;
  // Mongoose's default collection for a model registered without one: its name, pluralised (lib/helpers/pluralize.js in mongoose).
  const collection = request.collection ?? registered ?? mongoose.pluralize()?.(name) ?? name;
  return { path: request.path, collection, ref: name };
}
