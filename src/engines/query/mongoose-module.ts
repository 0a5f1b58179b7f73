import { pathToFileURL } from 'node:url';

/** How to get Mongoose when it is missing: it is an optional dependency of imdiag. */
export const INSTALL_MONGOOSE = 'npm install mongoose (beside imdiag: in the project that runs it, or with npm install -g mongoose next to a global imdiag)';

// A variable specifier keeps TypeScript from requiring mongoose's types at build time (optional dependency).
const MONGOOSE = 'mongoose';

/** Mongoose's module, or null with the resolver's first line when it is not installed. */
export async function importMongoose<T>(): Promise<{ mongoose: T } | { missing: string }> {
  try {
    const imported = (await import(MONGOOSE)) as { default?: T } & T;
    return { mongoose: imported.default ?? imported };
  } catch (error) {
    return { missing: (error as Error).message.split('\n')[0] ?? 'not found' };
  }
}

/** What a --model module gives: the schema and, for a model, the Mongoose instance it was registered on (its other models: the refs). */
export interface ModelModule<S> {
  schema: S;
  models: Record<string, { schema: S; collection: { collectionName: string } }>;
}

/** --model: a module exporting a Mongoose model (its schema is used on imdiag's read-only connection) or a schema. */
export async function loadModelModule<S extends { clone(): S }>(path: string): Promise<ModelModule<S>> {
  const imported = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  for (const value of [imported.default, ...Object.values(imported)]) {
    const candidate = value as { schema?: S & { paths?: unknown }; instanceOfSchema?: boolean; base?: { models?: ModelModule<S>['models'] } } | undefined;
    const schema = candidate?.instanceOfSchema ? (candidate as unknown as S) : candidate?.schema?.paths ? candidate.schema : undefined;
    if (schema) return { schema: schema.clone(), models: candidate?.base?.models ?? {} };
  }
  throw new Error(`--model ${path} exports no Mongoose model or schema (export default mongoose.model(…) or the schema)`);
}
