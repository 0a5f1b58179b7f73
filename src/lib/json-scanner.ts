/** What to do with the value of a top-level key (JsonObjectStream documents each kind). */
export type ValueHandler =
  | { kind: 'capture'; maxBytes: number; value(parsed: unknown): void }
  | { kind: 'numbers'; numbers(batch: Float64Array, count: number): void; end(count: number): void }
  | { kind: 'strings'; keep(index: number): boolean; string(index: number, value: string): void; end(count: number): void }
  | { kind: 'elsewhere'; end(): void }
  | { kind: 'skip' };

/**
 * The byte-level walking under JsonObjectStream (json-object-stream.ts): its state, collecting
 * a value's raw bytes across chunks, and following a string or any nested value to its end.
 */
export const [QUOTE, BACKSLASH, COMMA, COLON, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT, ZERO, NINE] = [34, 92, 44, 58, 91, 93, 123, 125, 48, 57];
export const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;
/** Keys are short names; a longer one means this is not the file we expect. */
export const MAX_KEY_BYTES = 4096;

export type State = 'start' | 'key-or-end' | 'key' | 'colon' | 'value' | 'capture' | 'skip' | 'elsewhere' | 'numbers' | 'strings' | 'done';

export abstract class JsonScanner {
  protected state: State = 'start';
  /** Bytes pushed before the current chunk, for error messages. */
  protected offset = 0;
  protected key = '';
  protected handler: ValueHandler = { kind: 'skip' };
  /** Raw bytes of a key, a captured value or a kept string while it spans chunks. */
  protected parts: Uint8Array[] = [];
  protected partBytes = 0;
  protected partStart = 0;
  protected collecting = false;
  /** Walking a value (capture, skip): nesting depth and where in a string we are. */
  protected depth = 0;
  protected inString = false;
  protected escaped = false;
  protected scalar = false;
  /** Walking an array (numbers, strings) or the object's members. */
  protected count = 0;
  protected afterItem = false;
  protected digits = false;
  protected number = 0;

  /** The value the scanner walked to its end (a capture is parsed here). */
  protected abstract valueEnded(chunk: Uint8Array, end: number): number;

  protected fail(what: string, at: number): never {
    throw new Error(`${what} at byte ${this.offset + at}${this.key ? ` (in "${this.key}")` : ''}`);
  }

  protected startCollecting(at: number): void {
    this.collecting = true;
    this.partStart = at;
  }

  protected collect(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    // A copy: a Buffer's slice() is a view, and the reader may reuse the chunk's memory.
    this.parts.push(new Uint8Array(chunk.subarray(from, to)));
    this.partBytes += to - from;
    const limit = this.state === 'key' ? MAX_KEY_BYTES : this.handler.kind === 'capture' ? this.handler.maxBytes : Infinity;
    if (this.partBytes > limit) this.fail(`over ${limit} bytes where a small value was expected`, to);
  }

  protected collected(chunk: Uint8Array, to: number): string {
    this.collect(chunk, this.partStart, to);
    const text = Buffer.concat(this.parts, this.partBytes).toString('utf8');
    this.parts = [];
    this.partBytes = 0;
    this.collecting = false;
    return text;
  }

  /** Inside a string whose opening quote is behind us; `done` gets its raw text, quotes included. */
  protected walkString(chunk: Uint8Array, i: number, done: (text: string) => void): number {
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

  protected walkValue(chunk: Uint8Array, i: number): number {
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

  protected scalarEnded(chunk: Uint8Array, i: number): number {
    if (!this.scalar) this.fail('expected a value', i);
    return this.valueEnded(chunk, i);
  }
}
