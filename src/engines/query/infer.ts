import type { Document } from 'mongodb';

/**
 * A Mongoose schema inferred from a sample of the collection: real paths and types, so hydration
 * pays what it pays in the team's code (casting, ObjectId and Date wrappers, subdocuments). An
 * empty `strict: false` schema would skip all of that and understate the cost.
 */
export type InferredType =
  | { kind: 'String' | 'Number' | 'Date' | 'Boolean' | 'ObjectId' | 'Buffer' | 'Decimal128' | 'Mixed' }
  | { kind: 'Array'; of: InferredType }
  | { kind: 'Object'; fields: Record<string, InferredType> };

export type InferredFields = Record<string, InferredType>;

/** Field name → type over every sampled document; a field of several types is Mixed. */
export function inferFields(documents: readonly Document[]): InferredFields {
  const fields: InferredFields = {};
  for (const document of documents) {
    for (const [key, value] of Object.entries(document)) {
      const type = merge(fields[key], typeOf(value));
      if (type) fields[key] = type;
    }
  }
  return fields;
}

function typeOf(value: unknown): InferredType | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return { kind: 'String' };
  if (typeof value === 'number') return { kind: 'Number' };
  if (typeof value === 'boolean') return { kind: 'Boolean' };
  if (value instanceof Date) return { kind: 'Date' };
  if (Array.isArray(value)) {
    // An empty array says nothing about its items: like null, it leaves the type to other documents.
    if (value.length === 0) return undefined;
    let of: InferredType | undefined;
    for (const item of value) of = merge(of, typeOf(item));
    return { kind: 'Array', of: of ?? { kind: 'Mixed' } };
  }
  if (typeof value === 'object') {
    const bsonType = (value as { _bsontype?: string })._bsontype;
    if (bsonType === 'ObjectId') return { kind: 'ObjectId' };
    if (bsonType === 'Binary') return { kind: 'Buffer' };
    if (bsonType === 'Decimal128') return { kind: 'Decimal128' };
    if (bsonType === 'Int32' || bsonType === 'Double' || bsonType === 'Long') return { kind: 'Number' };
    if (bsonType) return { kind: 'Mixed' };
    return { kind: 'Object', fields: inferFields([value as Document]) };
  }
  return { kind: 'Mixed' };
}

function merge(known: InferredType | undefined, seen: InferredType | undefined): InferredType | undefined {
  if (!known) return seen;
  if (!seen) return known;
  if (known.kind === 'Object' && seen.kind === 'Object') {
    const fields = { ...known.fields };
    for (const [key, type] of Object.entries(seen.fields)) fields[key] = merge(fields[key], type) ?? type;
    return { kind: 'Object', fields };
  }
  if (known.kind === 'Array' && seen.kind === 'Array') return { kind: 'Array', of: merge(known.of, seen.of) ?? { kind: 'Mixed' } };
  return known.kind === seen.kind ? known : { kind: 'Mixed' };
}

/** `{"userId": "String", "msgId": "ObjectId", "receivers": "[String]", "meta.at": "Date"}` for the result. */
export function describeFields(fields: InferredFields, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, type] of Object.entries(fields)) {
    if (type.kind === 'Object') Object.assign(out, describeFields(type.fields, `${prefix}${key}.`));
    else out[`${prefix}${key}`] = typeName(type);
  }
  return out;
}

function typeName(type: InferredType): string {
  if (type.kind === 'Array') return `[${typeName(type.of)}]`;
  if (type.kind === 'Object') return 'Subdocument';
  return type.kind;
}

/** Mongoose's Schema constructor and types, as much as building a definition needs. */
export interface SchemaFactory {
  Schema: (new (definition: object, options: object) => unknown) & { Types: Record<string, unknown> };
}

/** The Mongoose schema definition: nested objects and arrays of objects become subdocument schemas (hydrated, like the team's). */
export function schemaDefinition(fields: InferredFields, mongoose: SchemaFactory): Record<string, unknown> {
  const definition: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(fields)) definition[key] = schemaType(type, mongoose);
  return definition;
}

function schemaType(type: InferredType, mongoose: SchemaFactory): unknown {
  const { Types } = mongoose.Schema;
  switch (type.kind) {
    case 'Array':
      return [schemaType(type.of, mongoose)];
    case 'Object':
      return new mongoose.Schema(schemaDefinition(type.fields, mongoose), { _id: false, strict: false });
    case 'String':
      return String;
    case 'Number':
      return Number;
    case 'Date':
      return Date;
    case 'Boolean':
      return Boolean;
    default:
      return Types[type.kind];
  }
}
