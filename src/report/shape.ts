/**
 * Checking a saved result against a table of required fields: `path → kind`, where a path is
 * `a.b` (field b of object a) or `a[].b` (field b of every item of array a). The same table is
 * checked twice: here at run time against the JSON, and by the compiler against the result type
 * (`satisfies FieldsOf<R>`), so a table that names a field the type lacks, or a kind the type does
 * not have, does not compile.
 */

export type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string[]';

/** The kinds a declared type always has: none when it may be null or absent (then it is not required). */
type KindOf<T> = [T] extends [never]
  ? never
  : [T] extends [string]
    ? 'string'
    : [T] extends [number]
      ? 'number'
      : [T] extends [boolean]
        ? 'boolean'
        : [T] extends [readonly string[]]
          ? 'string[]' | 'array'
          : [T] extends [readonly unknown[]]
            ? 'array'
            : [T] extends [object]
              ? 'object'
              : never;

/** One step of a path: a field (of every member, for a union), or the items of an array field. */
type Step<T, S extends string> = S extends `${infer Key}[]`
  ? Key extends keyof T
    ? T[Key] extends readonly (infer Item)[]
      ? Item
      : never
    : never
  : S extends keyof T
    ? T[S]
    : never;

/** The declared type at a path; never when the path leaves the type (or passes through null). */
type TypeAt<T, Path extends string> = Path extends `${infer Head}.${infer Rest}` ? TypeAt<Step<T, Head>, Rest> : Step<T, Path>;

type Deeper = [never, 0, 1, 2, 3];

/** Every path into T, up to four steps: `a`, `a.b`, `a[].b`; not into strings, numbers or through null. */
type PathOf<T, Depth extends number = 4> = [Depth] extends [never]
  ? never
  : [T] extends [readonly unknown[]]
    ? never
    : [T] extends [object]
      ? {
          [K in keyof T & string]-?:
            K | `${K}.${PathOf<T[K], Deeper[Depth]>}` | (T[K] extends readonly (infer Item)[] ? `${K}[].${PathOf<Item, Deeper[Depth]>}` : never);
        }[keyof T & string]
      : never;

/**
 * A required-field table for result type R: a path the type lacks is an excess property, a kind the
 * type does not have is a type error, and a field the type allows to be null or absent reads
 * `not required` (requiring it would reject results the type allows).
 */
export type FieldsOf<R> = { [P in PathOf<R>]?: [KindOf<TypeAt<R, P>>] extends [never] ? 'not required' : KindOf<TypeAt<R, P>> };

/** The first required field that is missing or of the wrong kind, described; undefined when all fit. */
export function shapeProblem(root: unknown, required: Record<string, Kind>): string | undefined {
  for (const [path, kind] of Object.entries(required)) {
    for (const [where, value] of resolve(root, path.split('.'), '')) {
      if (!isKind(value, kind)) return `${where} should be ${article(kind)}, got ${describe(value)}`;
    }
  }
  return undefined;
}

function resolve(value: unknown, steps: string[], where: string): Array<[string, unknown]> {
  if (steps.length === 0) return [[where, value]];
  const [step, ...rest] = steps as [string, ...string[]];
  const each = step.endsWith('[]');
  const key = each ? step.slice(0, -2) : step;
  const child = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  const path = where ? `${where}.${key}` : key;
  if (!each) return resolve(child, rest, path);
  if (!Array.isArray(child)) return [[path, child]];
  return child.flatMap((item, index) => resolve(item, rest, `${path}[${index}]`));
}

function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'array':
      return Array.isArray(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === kind;
  }
}

function article(kind: Kind): string {
  return { string: 'a string', number: 'a number', boolean: 'true or false', object: 'an object', array: 'an array', 'string[]': 'an array of strings' }[kind];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value).slice(0, 40);
}
