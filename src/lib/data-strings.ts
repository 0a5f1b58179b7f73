import { createHmac, randomBytes } from 'node:crypto';
import { mapStrings } from './map-strings.js';

/**
 * Strings that are the analysed process's data (a heap's string values, dictionary keys, RegExp
 * sources) travel inside a result between two private-use characters, so that whoever prints the
 * result decides in one place what becomes of them: the terminal shows them (`revealData`), a
 * report or `--json` masks them (`maskData`) unless the user asked for the values (--show-strings).
 * U+E000 and U+E001 are private-use code points: no text imdiag writes contains them, and a
 * value that does has them replaced before it is marked.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
/** Between the value's full length and its shown text, when only its start is shown. */
const LENGTH = '\uE002';
const MARKED = /\uE000(?:(\d+)\uE002)?([^\uE000\uE001\uE002]*)\uE001/g;
const MARKERS = /[\uE000-\uE002]/g;

/** Hex digits of the keyed hash shown: enough to tell apart the values of a 1,000-row table. */
export const HASH_CHARS = 6;

/** `text` as data: shown by the terminal, masked in reports. `fullLength`: of the value whose start `text` shows. */
export function markData(text: string, fullLength?: number): string {
  return `${OPEN}${fullLength === undefined ? '' : `${fullLength}${LENGTH}`}${text.replace(MARKERS, '\uFFFD')}${CLOSE}`;
}

/** Whether a result holds any marked value. */
export function hasData(value: unknown): boolean {
  return JSON.stringify(value)?.includes(OPEN) ?? false;
}

/** A copy with every marked value shown as it is (the terminal; reports with --show-strings). */
export function revealData<T>(value: T): T {
  return mapStrings(value, (text) => (text.includes(OPEN) ? text.replace(MARKED, '$2') : text)) as T;
}

/**
 * A copy with every marked value masked: `‹41 chars, [a-z0-9.@], #3fa2c1›`. The hash is an HMAC
 * under `key`, drawn at random for each report unless given, so equal values in one report share a
 * hash while a guessed value cannot be confirmed by hashing it.
 */
export function maskData<T>(value: T, key: Uint8Array = randomBytes(32)): T {
  return mapStrings(value, (text) =>
    text.includes(OPEN)
      ? text.replace(MARKED, (_match, length: string | undefined, inner: string) => maskValue(inner, key, length === undefined ? undefined : Number(length)))
      : text,
  ) as T;
}

export function maskValue(text: string, key: Uint8Array, fullLength?: number): string {
  const length = fullLength ?? [...text].length;
  const hash = createHmac('sha256', key).update(text).digest('hex').slice(0, HASH_CHARS);
  return `‹${length} char${length === 1 ? '' : 's'}, ${characterClasses(text)}, #${hash}›`;
}

/**
 * The kinds of characters in a value: a-z, A-Z, 0-9 as ranges, other printable ASCII one by one,
 * \s for white space, \u for anything beyond ASCII (its characters would say too much).
 */
export function characterClasses(text: string): string {
  const classes = new Set<string>();
  for (const char of text) {
    if (char >= 'a' && char <= 'z') classes.add('a-z');
    else if (char >= 'A' && char <= 'Z') classes.add('A-Z');
    else if (char >= '0' && char <= '9') classes.add('0-9');
    else if (/\s/.test(char)) classes.add('\\s');
    else if (char > '~') classes.add('\\u');
    else if (char < ' ') classes.add('\\c');
    else classes.add(/[\]\\^-]/.test(char) ? `\\${char}` : char);
  }
  const order = ['a-z', 'A-Z', '0-9'];
  const ranges = order.filter((range) => classes.has(range));
  const rest = [...classes].filter((item) => !order.includes(item)).sort();
  return `[${[...ranges, ...rest].join('')}]`;
}
