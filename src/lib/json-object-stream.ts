/**
 * A push scanner for one large top-level JSON object, fed chunk by chunk, that holds no more than
 * a chunk plus what its handlers keep: each top-level value goes to the handler its key chooses.
 * Made for .heapsnapshot files, whose arrays outgrow a JS string (V8 caps a string at ~512 MB;
 * a snapshot of a 1 GB heap is several times that).
 *
 *   capture  a small value (a header): its raw text, up to maxBytes, then JSON.parse
 *   numbers  an array of non-negative integers (all V8 writes in its arrays), one call a number
 *   strings  an array of strings; only those the handler keeps are decoded (JSON.parse of the
 *            one string's text: every escape, \uXXXX and surrogate pairs included)
 *   skip     anything else; strings and nesting are followed, not validated
 */
export type ValueHandler =
  | { kind: 'capture'; maxBytes: number; value(parsed: unknown): void }
  | { kind: 'numbers'; number(value: number): void; end(count: number): void }
  | { kind: 'strings'; keep(index: number): boolean; string(index: number, value: string): void; end(count: number): void }
  | { kind: 'skip' };

const [QUOTE, BACKSLASH, COMMA, COLON, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT, ZERO, NINE] = [34, 92, 44, 58, 91, 93, 123, 125, 48, 57];
const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;
/** Keys are short names; a longer one means this is not the file we expect. */
const MAX_KEY_BYTES = 4096;

type State = 'start' | 'key-or-end' | 'key' | 'colon' | 'value' | 'capture' | 'skip' | 'numbers' | 'strings' | 'done';

export class JsonObjectStream {
  private state: State = 'start';
  /** Bytes pushed before the current chunk, for error messages. */
  private offset = 0;
  private key = '';
  private handler: ValueHandler = { kind: 'skip' };
  /** Raw bytes of a key, a captured value or a kept string while it spans chunks. */
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private partStart = 0;
  private collecting = false;
  /** Walking a value (capture, skip): nesting depth and where in a string we are. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  /** Walking an array (numbers, strings) or the object's members. */
  private count = 0;
  private afterItem = false;
  private digits = false;
  private number = 0;

  private readonly handlerFor: (key: string) => ValueHandler;

  constructor(handlerFor: (key: string) => ValueHandler) {
    this.handlerFor = handlerFor;
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const state = this.state;
      if (state === 'numbers') i = this.walkNumbers(chunk, i);
      else if (state === 'strings') i = this.walkStrings(chunk, i);
      else if (state === 'capture' || state === 'skip') i = this.walkValue(chunk, i);
      else if (state === 'key') i = this.walkString(chunk, i, (text) => this.keyRead(text));
      else i = this.structural(chunk, i);
    }
    if (this.collecting) this.collect(chunk, this.partStart, chunk.length);
    this.partStart = 0;
    this.offset += chunk.length;
  }

  /** Bytes pushed so far. */
  get bytesRead(): number {
    return this.offset;
  }

  /** After the last chunk: a file cut short is an error, not a smaller answer. */
  end(): void {
    if (this.state !== 'done') throw new Error(`the JSON ends early, at byte ${this.offset}${this.key ? ` (in "${this.key}")` : ''}`);
  }

  private fail(what: string, at: number): never {
    throw new Error(`${what} at byte ${this.offset + at}${this.key ? ` (in "${this.key}")` : ''}`);
  }

  private startCollecting(at: number): void {
    this.collecting = true;
    this.partStart = at;
  }

  private collect(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    // A copy: a Buffer's slice() is a view, and the reader may reuse the chunk's memory.
    this.parts.push(new Uint8Array(chunk.subarray(from, to)));
    this.partBytes += to - from;
    const limit = this.state === 'key' ? MAX_KEY_BYTES : this.handler.kind === 'capture' ? this.handler.maxBytes : Infinity;
    if (this.partBytes > limit) this.fail(`over ${limit} bytes where a small value was expected`, to);
  }

  private collected(chunk: Uint8Array, to: number): string {
    this.collect(chunk, this.partStart, to);
    const text = Buffer.concat(this.parts, this.partBytes).toString('utf8');
    this.parts = [];
    this.partBytes = 0;
    this.collecting = false;
    return text;
  }

  /** Between keys and values: one byte at a time (there are a handful of keys). */
  private structural(chunk: Uint8Array, i: number): number {
    const b = chunk[i]!;
    if (isSpace(b)) return i + 1;
    if (this.state === 'start' && b === OPEN_OBJECT) this.state = 'key-or-end';
    else if (this.state === 'key-or-end' && b === CLOSE_OBJECT) this.state = 'done';
    else if (this.state === 'key-or-end' && b === COMMA && this.afterItem) this.afterItem = false;
    else if (this.state === 'key-or-end' && b === QUOTE && !this.afterItem) {
      this.state = 'key';
      this.startCollecting(i);
    } else if (this.state === 'colon' && b === COLON) this.state = 'value';
    else if (this.state === 'value') return this.startValue(b, i);
    else this.fail(`unexpected '${String.fromCharCode(b)}'`, i);
    return i + 1;
  }

  private keyRead(text: string): void {
    this.key = JSON.parse(text) as string;
    this.state = 'colon';
  }

  private startValue(b: number, i: number): number {
    this.handler = this.handlerFor(this.key);
    this.state = this.handler.kind;
    if (this.handler.kind === 'numbers' || this.handler.kind === 'strings') {
      if (b !== OPEN_ARRAY) this.fail('expected an array', i);
      Object.assign(this, { count: 0, afterItem: false, digits: false, number: 0, inString: false, escaped: false });
      return i + 1;
    }
    Object.assign(this, { depth: 0, inString: false, escaped: false, scalar: false });
    if (this.handler.kind === 'capture') this.startCollecting(i);
    return i;
  }

  private valueEnded(chunk: Uint8Array, end: number): number {
    if (this.handler.kind === 'capture') this.handler.value(JSON.parse(this.collected(chunk, end)));
    this.state = 'key-or-end';
    this.afterItem = true;
    return end;
  }

  /** Inside a string whose opening quote is behind us; `done` gets its raw text, quotes included. */
  private walkString(chunk: Uint8Array, i: number, done: (text: string) => void): number {
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) {
        this.inString = false;
        if (this.collecting) done(this.collected(chunk, i + 1));
        return i + 1;
      }
    }
    return i;
  }

  private walkValue(chunk: Uint8Array, i: number): number {
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.depth === 0) return this.valueEnded(chunk, i + 1);
        }
      } else if (b === QUOTE) this.inString = true;
      else if (b === OPEN_ARRAY || b === OPEN_OBJECT) this.depth++;
      else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
        if (this.depth === 0) return this.scalarEnded(chunk, i);
        if (--this.depth === 0) return this.valueEnded(chunk, i + 1);
      } else if (this.depth === 0 && (b === COMMA || isSpace(b))) return this.scalarEnded(chunk, i);
      else if (this.depth === 0) this.scalar = true;
    }
    return i;
  }

  private scalarEnded(chunk: Uint8Array, i: number): number {
    if (!this.scalar) this.fail('expected a value', i);
    return this.valueEnded(chunk, i);
  }

  /** The hot loop (most of a snapshot is numbers): state in locals, written back when it stops. */
  private walkNumbers(chunk: Uint8Array, i: number): number {
    const handler = this.handler as Extract<ValueHandler, { kind: 'numbers' }>;
    let { number, digits, afterItem, count } = this;
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b >= ZERO && b <= NINE) {
        if (afterItem) this.fail('expected , between numbers', i);
        number = number * 10 + (b - ZERO);
        digits = true;
        continue;
      }
      if (digits) {
        if (number > Number.MAX_SAFE_INTEGER) this.fail('a number too large to count exactly', i);
        handler.number(number);
        count++;
        number = 0;
        digits = false;
        afterItem = true;
      }
      if (isSpace(b)) continue;
      if (b === COMMA && afterItem) afterItem = false;
      else if (b === CLOSE_ARRAY && (afterItem || count === 0)) {
        this.count = count;
        return this.arrayEnded(handler, i);
      } else this.fail(`unexpected '${String.fromCharCode(b)}' in an array of non-negative integers`, i);
    }
    Object.assign(this, { number, digits, afterItem, count });
    return i;
  }

  private walkStrings(chunk: Uint8Array, i: number): number {
    const handler = this.handler as Extract<ValueHandler, { kind: 'strings' }>;
    const stored = (text: string) => handler.string(this.count, JSON.parse(text) as string);
    while (i < chunk.length) {
      if (this.inString) {
        i = this.walkString(chunk, i, stored);
        if (!this.inString) {
          this.count++;
          this.afterItem = true;
        }
        continue;
      }
      const b = chunk[i]!;
      if (b === QUOTE && !this.afterItem) {
        this.inString = true;
        if (handler.keep(this.count)) this.startCollecting(i);
      } else if (b === COMMA && this.afterItem) this.afterItem = false;
      else if (b === CLOSE_ARRAY && (this.afterItem || this.count === 0)) return this.arrayEnded(handler, i);
      else if (!isSpace(b)) this.fail(`unexpected '${String.fromCharCode(b)}' in an array of strings`, i);
      i++;
    }
    return i;
  }

  private arrayEnded(handler: { end(count: number): void }, i: number): number {
    handler.end(this.count);
    this.state = 'key-or-end';
    this.afterItem = true;
    return i + 1;
  }
}
