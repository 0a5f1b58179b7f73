import { createRequire } from 'node:module';
import type { Node } from 'acorn';
import type { Document } from 'mongodb';
import { lazyBson } from './mongo/bson.js';
import { UsageError } from './errors.js';

/**
 * Values pasted from mongosh or Compass (`{userId: 'user-001'}`, `{_id: ObjectId("…")}`,
 * `ISODate(…)`, `NumberLong(5)`, `/re/i`, comments), read without running them: MongoDB's own
 * mongodb-query-parser (the one Compass uses, https://github.com/mongodb-js/devtools-shared/tree/main/packages/query-parser)
 * accepts only literals, objects, arrays and the shell's constructors, and evaluates nothing else.
 * Its traps, handled here:
 * - it returns '' instead of throwing when its safety check rejects the input: the rejected part is
 *   found and named with its line and column;
 * - it parses `(\n${input}\n)`, so the line numbers of its own syntax errors are one too high: the
 *   input is first parsed here as one expression (acorn, the parser it uses), so a syntax error
 *   names the user's own line and column, and text after the value (`{}) + (x`) cannot slip in;
 * - it has no pipeline entry point: a pipeline goes through the filter parser, the same safety check;
 * - Extended JSON inside shell syntax (`{_id: {"$oid": "…"}}`) stays a plain object: such wrappers
 *   are turned into their BSON values with bson's EJSON.
 */
export type ShellValueKind = 'filter' | 'projection' | 'sort' | 'pipeline';

interface Parsers {
  byKind: Record<ShellValueKind, (input: string) => unknown>;
  acorn: typeof import('acorn');
}
let loaded: Parsers | undefined;

/**
 * The parsers, loaded on the first value that is not plain JSON: every command's start-up imports
 * this file through its validator, and mongodb-query-parser and acorn would add
 * to the start-up of commands that never read a filter.
 */
function parsers(): Parsers {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  const queryParser = load('mongodb-query-parser') as typeof import('mongodb-query-parser');
  loaded = {
    byKind: { filter: queryParser.parseFilter, projection: queryParser.parseProject, sort: queryParser.parseSort, pipeline: queryParser.parseFilter },
    acorn: load('acorn') as typeof import('acorn'),
  };
  return loaded;
}

const ACORN = { ecmaVersion: 6, locations: true } as const;

/** The keys that make a plain object an Extended JSON value (https://www.mongodb.com/docs/manual/reference/mongodb-extended-json/). */
const EJSON_KEYS = new Set([
  '$oid',
  '$date',
  '$numberInt',
  '$numberLong',
  '$numberDouble',
  '$numberDecimal',
  '$binary',
  '$uuid',
  '$timestamp',
  '$regularExpression',
  '$minKey',
  '$maxKey',
  '$symbol',
  '$code',
  '$dbPointer',
  '$undefined',
]);

/** mongosh syntax → a value with BSON types, or a one-line UsageError naming the flag, the line and the column. `source` is " in FILE" or ''. */
export function parseShellSyntax(flag: string, kind: ShellValueKind, text: string, source = ''): unknown {
  if (text.trim() === '') throw new UsageError(`${flag} is empty${source}; pass a value such as {userId: 'user-001'}`);
  const expression = parseOneExpression(flag, text, source);
  const parse = parsers().byKind[kind];
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    const culprit = findCulprit(text, expression, (part) => throwsOn(parse, part)) ?? expression;
    throw new UsageError(`${flag}: ${at(text, culprit.start)}${source}: ${excerpt(text, culprit)}: ${firstLine(error)}`);
  }
  if (value === '' && !(expression.type === 'Literal' && (expression as Node & { value: unknown }).value === '')) {
    const culprit = findCulprit(text, expression, (part) => rejects(parse, part)) ?? expression;
    throw new UsageError(
      `${flag}: ${at(text, culprit.start)}${source}: ${excerpt(text, culprit)} is not allowed: only values, objects, arrays, regular expressions and mongosh's constructors (ObjectId, ISODate, NumberLong, …) are read, and nothing is run`,
    );
  }
  return withEjsonValues(flag, value, '', source);
}

/** The input as exactly one expression; a syntax error names the user's line and column. */
function parseOneExpression(flag: string, text: string, source: string): Node {
  let expression: Node;
  try {
    expression = parsers().acorn.parseExpressionAt(text, 0, ACORN);
  } catch (error) {
    const pos = (error as { pos?: number }).pos ?? text.length;
    throw new UsageError(`${flag}: invalid syntax ${at(text, pos)}${source}: ${syntaxReason(error)} (mongosh syntax or Extended JSON)`);
  }
  const { tokenizer, tokTypes } = parsers().acorn;
  const rest = tokenizer(text.slice(expression.end), ACORN).getToken();
  if (rest.type !== tokTypes.eof) {
    throw new UsageError(`${flag}: invalid syntax ${at(text, expression.end + rest.start)}${source}: text after the value (pass one value)`);
  }
  return expression;
}

/** "at line 2, column 6", or "at the end" for input that stops too early. */
export function at(text: string, pos: number): string {
  if (pos >= text.trimEnd().length) return 'at the end';
  const before = text.slice(0, pos).split('\n');
  return `at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function syntaxReason(error: unknown): string {
  const message = firstLine(error).replace(/ \(\d+:\d+\)$/, '');
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function excerpt(text: string, node: Node): string {
  const part = text.slice(node.start, node.end).replace(/\s+/g, ' ');
  return part.length > 60 ? `${part.slice(0, 57)}…` : part;
}

function throwsOn(parse: (input: string) => unknown, part: string): boolean {
  try {
    parse(part);
    return false;
  } catch {
    return true;
  }
}

function rejects(parse: (input: string) => unknown, part: string): boolean {
  try {
    return parse(part) === '';
  } catch {
    return true;
  }
}

/**
 * The smallest part of the input the parser refuses on its own: down from the whole value, into
 * the first child it refuses, until no child is refused. Object keys and `a.b`'s `b` are names,
 * not values, and are not tried on their own.
 */
function findCulprit(text: string, node: Node, refused: (part: string) => boolean): Node | undefined {
  for (const child of childrenOf(node)) {
    if (child.type === 'Literal') continue;
    if (refused(text.slice(child.start, child.end))) return findCulprit(text, child, refused) ?? child;
  }
  return undefined;
}

function childrenOf(node: Node): Node[] {
  const any = node as Node & Record<string, unknown>;
  switch (node.type) {
    case 'ObjectExpression':
      return (any.properties as Array<Node & Record<string, unknown>>).flatMap((property) => [
        ...(property.computed ? [property.key as Node] : []),
        property.value as Node,
      ]);
    // Code, not a value: refused as a whole.
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassExpression':
      return [];
    case 'MemberExpression':
      return [any.object as Node, ...(any.computed ? [any.property as Node] : [])];
    default:
      return Object.values(any)
        .flatMap((value) => (Array.isArray(value) ? value : [value]))
        .filter((value): value is Node => value !== null && typeof value === 'object' && typeof (value as Node).type === 'string')
        .sort((a, b) => a.start - b.start);
  }
}

/** Plain `{"$oid": …}`-style objects (Extended JSON written inside shell syntax) → BSON values, the rest kept as parsed. */
function withEjsonValues(flag: string, value: unknown, path: string, source: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, index) => withEjsonValues(flag, item, `${path}[${index}]`, source));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => EJSON_KEYS.has(key) || key === '$scope')) {
    try {
      return lazyBson().EJSON.deserialize(value as Document);
    } catch (error) {
      throw new UsageError(`${flag}: invalid Extended JSON${path ? ` at ${path}` : ''}${source}: ${firstLine(error)}`);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withEjsonValues(flag, item, path ? `${path}.${key}` : key, source)]));
}
