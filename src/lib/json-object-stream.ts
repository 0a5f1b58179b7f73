import { QUOTE, COMMA, COLON, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT, ZERO, isSpace, JsonScanner } from './json-scanner.js';
import type { ValueHandler } from './json-scanner.js';

/**
 * A push scanner for one large top-level JSON object, fed chunk by chunk, that holds no more than
 * a chunk plus what its handlers keep: each top-level value goes to the handler its key chooses.
 * Made for .heapsnapshot files, whose arrays outgrow a JS string (V8 caps a string at ~512 MB;
 * a snapshot of a 1 GB heap is several times that).
 *
 *   capture  a small value (a header): its raw text, up to maxBytes, then JSON.parse
 *   numbers  an array of non-negative integers (all V8 writes in its arrays), in batches
 *   strings  an array of strings; only those the handler keeps are decoded (JSON.parse of the
 *            one string's text: every escape, \uXXXX and surrogate pairs included)
 *   elsewhere  an array of numbers another reader parses (a thread of its own, from the same
 *            file): passed over to its `]` with a native search, not read
 *   skip     anything else; strings and nesting are followed, not validated
 */
export type { ValueHandler } from './json-scanner.js';

/**
 * Numbers handed to a `numbers` handler per call: a multiple of 3, 4, 6 and 7 (the strides of a
 * snapshot's edges, locations and nodes), so every batch but the last holds whole records.
 */
export const BATCH = 84 * 195;

export class JsonObjectStream extends JsonScanner {
  private readonly handlerFor: (key: string) => ValueHandler;
  private readonly batch = new Float64Array(BATCH);
  private batched = 0;
  private pausedAt = false;

  private readonly pauseBefore: (key: string) => boolean;

  constructor(handlerFor: (key: string) => ValueHandler, pauseBefore: (key: string) => boolean = () => false) {
    super();
    this.handlerFor = handlerFor;
    this.pauseBefore = pauseBefore;
  }

  /**
   * Walks a chunk; returns how many of its bytes it took: all of them, unless `pauseBefore` asked
   * to pause at a key read in it (before its value), so the caller can wait for something (another
   * thread's array), call resume() and push the rest.
   */
  push(chunk: Uint8Array): number {
    let i = 0;
    while (i < chunk.length && !this.paused) {
      const state = this.state;
      if (state === 'numbers') i = this.walkNumbers(chunk, i);
      else if (state === 'elsewhere') i = this.passArray(chunk, i);
      else if (state === 'strings') i = this.walkStrings(chunk, i);
      else if (state === 'capture' || state === 'skip') i = this.walkValue(chunk, i);
      else if (state === 'key') i = this.walkString(chunk, i, (text) => this.keyRead(text));
      else i = this.structural(chunk, i);
    }
    if (this.collecting) this.collect(chunk, this.partStart, i);
    this.partStart = 0;
    this.offset += i;
    return i;
  }

  /** Paused after a key pauseBefore chose. */
  get paused(): boolean {
    return this.pausedAt;
  }

  resume(): void {
    this.pausedAt = false;
  }

  /** Bytes pushed so far. */
  get bytesRead(): number {
    return this.offset;
  }

  /** Before the first push: where in the file the first byte pushed sits (for error messages), when a reader starts mid-file. */
  startsAt(offset: number): void {
    this.offset = offset;
  }

  /** After the last chunk: a file cut short is an error, not a smaller answer. */
  end(): void {
    if (this.state !== 'done') throw new Error(`the JSON ends early, at byte ${this.offset}${this.key ? ` (in "${this.key}")` : ''}`);
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
    if (this.pauseBefore(this.key)) this.pausedAt = true;
  }

  private startValue(b: number, i: number): number {
    this.handler = this.handlerFor(this.key);
    this.state = this.handler.kind;
    if (this.handler.kind === 'numbers' || this.handler.kind === 'strings' || this.handler.kind === 'elsewhere') {
      if (b !== OPEN_ARRAY) this.fail('expected an array', i);
      Object.assign(this, { count: 0, afterItem: false, digits: false, number: 0, inString: false, escaped: false, batched: 0 });
      return i + 1;
    }
    Object.assign(this, { depth: 0, inString: false, escaped: false, scalar: false });
    if (this.handler.kind === 'capture') this.startCollecting(i);
    return i;
  }

  protected valueEnded(chunk: Uint8Array, end: number): number {
    if (this.handler.kind === 'capture') this.handler.value(JSON.parse(this.collected(chunk, end)));
    this.state = 'key-or-end';
    this.afterItem = true;
    return end;
  }

  /**
   * The hot loop (most of a snapshot is numbers): state in locals, written back when it stops.
   * Numbers go to the handler in batches, so the per-number cost is a store, not a call.
   */
  private walkNumbers(chunk: Uint8Array, i: number): number {
    const handler = this.handler as Extract<ValueHandler, { kind: 'numbers' }>;
    const batch = this.batch;
    let { number, digits, afterItem, count, batched } = this;
    const length = chunk.length;
    while (i < length) {
      let b = chunk[i]!;
      let digit = (b - ZERO) >>> 0;
      if (digit <= 9) {
        if (afterItem) this.fail('expected , between numbers', i);
        // The digits of one number in a tight loop: most bytes of a snapshot are digits.
        do {
          number = number * 10 + digit;
          if (++i === length) break;
          b = chunk[i]!;
          digit = (b - ZERO) >>> 0;
        } while (digit <= 9);
        digits = true;
        if (i === length) break;
      }
      if (digits) {
        if (number > Number.MAX_SAFE_INTEGER) this.fail('a number too large to count exactly', i);
        batch[batched++] = number;
        if (batched === BATCH) {
          handler.numbers(batch, batched);
          batched = 0;
        }
        count++;
        number = 0;
        digits = false;
        afterItem = true;
      }
      if (b === COMMA && afterItem) afterItem = false;
      else if (b === CLOSE_ARRAY && (afterItem || count === 0)) {
        if (batched > 0) handler.numbers(batch, batched);
        this.batched = 0;
        this.count = count;
        return this.arrayEnded(handler, i);
      } else if (!isSpace(b)) this.fail(`unexpected '${String.fromCharCode(b)}' in an array of non-negative integers`, i);
      i++;
    }
    Object.assign(this, { number, digits, afterItem, count, batched });
    return i;
  }

  /** An array of numbers holds no `]` but its last: found with Buffer's native search, not byte by byte. */
  private passArray(chunk: Uint8Array, i: number): number {
    const end = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).indexOf(CLOSE_ARRAY, i);
    if (end < 0) return chunk.length;
    (this.handler as Extract<ValueHandler, { kind: 'elsewhere' }>).end();
    this.state = 'key-or-end';
    this.afterItem = true;
    return end + 1;
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
