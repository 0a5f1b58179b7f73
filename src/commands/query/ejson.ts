import { readFileSync } from 'node:fs';
import type { Document } from 'mongodb';
import { UsageError } from '../../lib/errors.js';
import { lazyBson } from '../../lib/mongo/bson.js';
import { parseShellSyntax, type ShellValueKind } from '../../lib/mongo-shell-syntax.js';

/**
 * --filter, --projection, --sort and --aggregate take MongoDB Extended JSON (relaxed or canonical:
 * `{"$oid": …}`, `{"$date": …}`, `{"$numberLong": …}`) or what mongosh and Compass show and accept
 * (`{_id: ObjectId("…")}`, `ISODate(…)`, `NumberLong(5)`, unquoted keys, single quotes, comments),
 * inline or `@file.json`. JSON is read as Extended JSON; anything else through
 * src/lib/mongo-shell-syntax.ts, which never runs it. A syntax error names the flag, the line and
 * column; a bad Extended JSON value (an $oid that is not 24 hex digits) names the flag and the
 * path of the value.
 */
export function parseExtendedJson(flag: string, raw: string, kind: ShellValueKind = 'filter'): unknown {
  const { text, source } = readSource(flag, raw);
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch {
    return parseShellSyntax(flag, kind, text, source);
  }
  try {
    return lazyBson().EJSON.deserialize(plain as Document);
  } catch (error) {
    const path = failingPath(plain, '');
    throw new UsageError(`${flag}: invalid Extended JSON${path ? ` at ${path}` : ''}${source}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A JSON object (filter, projection, sort). */
export function parseJsonObject(flag: string, raw: string, kind: Exclude<ShellValueKind, 'pipeline'> = 'filter'): Document {
  const value = parseExtendedJson(flag, raw, kind);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${flag} must be an object such as {userId: 'user-001'}, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  return value as Document;
}

/** A pipeline: an array of stage objects, each with exactly one $-key. */
export function parsePipeline(flag: string, raw: string): Document[] {
  const value = parseExtendedJson(flag, raw, 'pipeline');
  if (!Array.isArray(value)) throw new UsageError(`${flag} must be an array of stages such as [{$match: {}}], got ${value === null ? 'null' : typeof value}`);
  value.forEach((stage, index) => {
    const keys = stage !== null && typeof stage === 'object' && !Array.isArray(stage) ? Object.keys(stage as object) : [];
    if (keys.length !== 1 || !keys[0]!.startsWith('$'))
      throw new UsageError(`${flag}: stage ${index} must be an object with one $-operator such as {"$match": {}}, got ${JSON.stringify(stage)}`);
  });
  return value as Document[];
}

function readSource(flag: string, raw: string): { text: string; source: string } {
  if (!raw.startsWith('@')) return { text: raw, source: '' };
  const file = raw.slice(1);
  try {
    return { text: readFileSync(file, 'utf8'), source: ` in ${file}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${flag}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`,
    );
  }
}

/** The deepest path whose Extended JSON value does not deserialise, e.g. `userId.$in[2]`. */
function failingPath(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entries = Array.isArray(value)
    ? value.map((item, index) => [`[${index}]`, item] as const)
    : Object.entries(value).map(([key, item]) => [path ? `.${key}` : key, item] as const);
  for (const [step, item] of entries) {
    if (item === null || typeof item !== 'object') continue;
    try {
      lazyBson().EJSON.deserialize(Array.isArray(item) ? { items: item } : (item as Document));
    } catch {
      return failingPath(item, path + step) ?? path + step;
    }
  }
  return undefined;
}
