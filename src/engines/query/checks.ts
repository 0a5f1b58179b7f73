import type { Db } from 'mongodb';
import { InputError } from '../../lib/errors.js';
import type { QuerySpec } from './spec.js';

/** What the field checks read of the query's options. */
export interface FieldChecks {
  readonly groupBy: string | null;
  readonly suggestProjection: readonly string[] | null;
  readonly maxTimeMS: number;
}

/** A collection that does not exist: named with the collections the database has, before anything is measured. */
export async function checkCollection(db: Db, name: string): Promise<void> {
  const found = await db.listCollections({ name }, { nameOnly: true }).toArray();
  if (found.length > 0) return;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  throw new InputError('collection', `no collection '${name}' in database '${db.databaseName}'; it has ${names.length ? names.join(', ') : 'no collections'}`);
}

export async function hasField(db: Db, collection: string, field: string, maxTimeMS: number): Promise<boolean> {
  return (await db.collection(collection).findOne({ [field]: { $exists: true } }, { projection: { _id: 1 }, maxTimeMS })) !== null;
}

/** A field no document has is a typo far more often than a plan: said before anything is measured. */
export async function checkFields(db: Db, spec: QuerySpec, opts: FieldChecks): Promise<void> {
  const named: Array<[string, string]> = [];
  if (spec.mode === 'distinct') named.push(['distinct', spec.field]);
  if (opts.groupBy) named.push(['groupBy', opts.groupBy]);
  for (const field of opts.suggestProjection ?? []) named.push(['suggestProjection', field]);
  for (const [option, field] of named) {
    if (!(await hasField(db, spec.collection, field, opts.maxTimeMS))) throw new InputError(option, `no document in ${spec.collection} has a field '${field}'`);
  }
  if (spec.mode === 'aggregate') return;
  const filter = spec.filter;
  const keys = Object.keys(filter).filter((key) => !key.startsWith('$'));
  if (keys.length === 0 || (await db.collection(spec.collection).findOne(filter, { projection: { _id: 1 }, maxTimeMS: opts.maxTimeMS }))) return;
  for (const key of keys) {
    if (!(await hasField(db, spec.collection, key, opts.maxTimeMS)))
      throw new InputError('filter', `no document in ${spec.collection} has a field '${key}', so the filter matches nothing`);
  }
}
