import { ObjectId } from 'mongodb';

/**
 * Deterministic ObjectIds: 4 bytes of the document's own time (so `_id` order follows time, as
 * with driver-made ids), 1 byte naming the kind of document, 3 bytes from the seed, and a
 * 4-byte counter per kind, unique for 4 billion documents of one kind.
 */
export const ID_KIND = { msg: 1, receipt: 2, cursor: 3 } as const;

export class IdFactory {
  private readonly bytes = Buffer.alloc(12);
  private readonly counters = new Uint32Array(4);

  constructor(seed: number) {
    this.bytes.writeUIntBE((seed >>> 0) & 0xffffff, 5, 3);
  }

  next(kind: (typeof ID_KIND)[keyof typeof ID_KIND], at: Date): ObjectId {
    const bytes = this.bytes;
    bytes.writeUInt32BE(Math.floor(at.getTime() / 1000) >>> 0, 0);
    bytes[4] = kind;
    const counter = this.counters[kind]!;
    this.counters[kind] = counter + 1;
    bytes.writeUInt32BE(counter, 8);
    // Reads the 12 bytes into its own fields; the buffer is reused.
    return new ObjectId(bytes);
  }
}
