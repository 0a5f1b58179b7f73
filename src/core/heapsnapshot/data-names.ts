import { markData } from '../../lib/data-strings.js';

/**
 * Which names in a snapshot are the program's identifiers (kept in reports and in `heap redact`)
 * and which are its data (masked, replaced).
 *
 * String values, RegExp sources and the halves of concatenated or sliced strings are always data.
 * Property names (`property` edges: an object's keys, a dictionary-mode object's keys included),
 * function names and symbol descriptions are kept when they read like an identifier someone wrote
 * in code, and are data otherwise. A program's keys are identifiers (`userId`, `createdAt`,
 * `get size`); keys that hold data are e-mail addresses, tokens, ids, URLs, message text: they
 * have characters an identifier has not (`@`, `.`, `-`, `/`, spaces), or many digits, or are long,
 * or have the spread of characters of random text. A key that looks like an identifier but holds
 * data (a dictionary keyed by first name) is kept: a judgement the rule cannot make.
 * V8's own names (internal and context edges, system and array nodes, constructor names) are the
 * engine's or the program's source and are kept.
 */
// `get size`, `bound f`, `#field`, a computed `[Symbol.iterator]` or `[kState]` (V8's names of functions and accessors).
const IDENTIFIER = /^(?:(?:get|set|bound|async) )*(?:#?[A-Za-z_$][A-Za-z0-9_$]*|\[[A-Za-z_$][A-Za-z0-9_$.]*\])$/;
// A symbol-keyed property as V8 names its edge: `<symbol Symbol.toStringTag>`, `<symbol node:x>`.
const SYMBOL_KEY = /^<symbol(?: [A-Za-z0-9_$.: -]{0,60})?>$/;
/** Longer names than this are not typed by people (Node's own primordials reach 40-odd). */
export const MAX_IDENTIFIER = 64;
/** Identifiers seldom hold four digits (`utf8`, `Float64Array`, `sha256` hold fewer); ids and tokens do. */
const MAX_DIGITS = 3;
/** From this length a name is checked for the short fragments of random text. */
const RANDOM_FROM = 12;
/**
 * Letters per word: camelCase and CONSTANT_CASE names are words of 3+ letters (`getElementsByTagName`:
 * 4, `MAX_SAFE_INTEGER`: 5, `BigIntAsIntN`: 2), a random mixed-case token breaks at nearly every capital (`xK9fLmQ2pR7s`: 1.1).
 */
const MIN_WORD_LETTERS = 2;

export function isIdentifierName(name: string): boolean {
  if (name === '' || SYMBOL_KEY.test(name)) return true;
  if (name.length > MAX_IDENTIFIER || !IDENTIFIER.test(name)) return false;
  if ((name.match(/[0-9]/g)?.length ?? 0) > MAX_DIGITS) return false;
  if (name.length < RANDOM_FROM) return true;
  const words = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
  const letters = words.reduce((sum, word) => sum + word.length, 0);
  return words.length > 0 && letters / words.length >= MIN_WORD_LETTERS;
}

/** V8's names for its own objects (`system / Context`, `(shared function info)`, `Node / TCPWrap`): kept. */
const ENGINE_NAME = /^(?:system \/ |Node \/ |\(|<)/;

/**
 * A node's name in a retainer path: string values and RegExp sources are data; a function's or
 * symbol's name is checked as a property name is; V8's own names are kept.
 */
export function shownNodeName(kind: string, name: string): string {
  if (kind === 'string' || kind === 'concatenated string' || kind === 'sliced string' || kind === 'regexp') return markData(name);
  if (kind === 'closure' || kind === 'code' || kind === 'symbol') return keptFunctionName(name) ? name : markData(name);
  return name;
}

/** A function's, code object's or symbol's name is kept when it is V8's own or reads like an identifier. */
export function keptFunctionName(name: string): boolean {
  return ENGINE_NAME.test(name) || isIdentifierName(name);
}

/** An edge's name in a retainer path: a property's key is checked, V8's internal and context names kept. */
export function shownEdgeName(type: string, name: string): string {
  return type === 'property' ? shownName(name) : name;
}

/** A name as a report may show it: kept when it is an identifier, marked as data otherwise. */
export function shownName(name: string): string {
  return isIdentifierName(name) ? name : markData(name);
}
