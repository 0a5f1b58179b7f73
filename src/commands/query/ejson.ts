import { readFileSync } from 'node:fs';
import { BSON, type Document } from 'mongodb';
import { UsageError } from '../../lib/errors.js';

/**
 * --filter, --projection, --sort and --aggregate take MongoDB Extended JSON (relaxed or canonical:
 * `{"$oid": …}`, `{"$date": …}`, `{"$numberLong": …}`), inline or `@file.json`. A syntax error names
 * the flag, the line and column; a bad Extended JSON value (an $oid that is not 24 hex digits) names
 * the flag and the path of the value.
 */
export function parseExtendedJson(flag: string, raw: string): unknown {
  const { text, source } = readSource(flag, raw);
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: invalid JSON ${where(text, error as Error)}${source}: ${syntaxReason(error as Error)}`);
  }
  try {
    return BSON.EJSON.deserialize(plain as Document);
  } catch (error) {
    const path = failingPath(plain, '');
    throw new UsageError(`${flag}: invalid Extended JSON${path ? ` at ${path}` : ''}${source}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A JSON object (filter, projection, sort). */
export function parseJsonObject(flag: string, raw: string): Document {
  const value = parseExtendedJson(flag, raw);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${flag} must be a JSON object such as {"userId": "user-001"}, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  return value as Document;
}

/** A pipeline: an array of stage objects, each with exactly one $-key. */
export function parsePipeline(flag: string, raw: string): Document[] {
  const value = parseExtendedJson(flag, raw);
  if (!Array.isArray(value))
    throw new UsageError(`${flag} must be a JSON array of stages such as [{"$match": {}}], got ${value === null ? 'null' : typeof value}`);
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

/** "at line 1, column 9 (position 8)", or "at the end (position N)" for truncated input. */
export function where(text: string, error: Error): string {
  const position = errorPosition(text, error);
  if (position >= text.length) return `at the end (position ${text.length})`;
  const before = text.slice(0, position).split('\n');
  return `at line ${before.length}, column ${before.at(-1)!.length + 1} (position ${position})`;
}

/**
 * Where JSON.parse gave up. V8 names the position for most errors but not for an unexpected token
 * ("Unexpected token '}', … is not valid JSON"); then the shortest prefix that is already wrong
 * (not merely unfinished) ends at it: a prefix that is wrong stays wrong, so a binary search finds it.
 */
function errorPosition(text: string, error: Error): number {
  const match = /at position (\d+)/.exec(error.message);
  if (match) return Number(match[1]);
  if (/end of JSON input/i.test(error.message)) return text.length;
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (brokenPrefix(text.slice(0, middle))) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}

function brokenPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    if (/end of JSON input/i.test(message)) return false;
    const match = /at position (\d+)/.exec(message);
    return !match || Number(match[1]) < prefix.length;
  }
}

function syntaxReason(error: Error): string {
  return error.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/^Unexpected end of JSON input$/, 'unexpected end of input');
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
      BSON.EJSON.deserialize(Array.isArray(item) ? { items: item } : (item as Document));
    } catch {
      return failingPath(item, path + step) ?? path + step;
    }
  }
  return undefined;
}
