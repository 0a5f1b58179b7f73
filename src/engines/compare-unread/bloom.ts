/**
 * A Bloom filter over byte keys (ObjectIds' 12 bytes): the post-mortem's closing suggestion.
 * Sizing is the textbook one for n items at false-positive rate p:
 *   m = ⌈−n·ln p / (ln 2)²⌉ bits,  k = max(1, round(m/n · ln 2)) hash functions,
 * and the k positions come from two 32-bit hashes by double hashing (Kirsch & Mitzenmacher,
 * "Less hashing, same performance"): h_i = h1 + i·h2 mod m.
 */
export class BloomFilter {
  readonly bits: number;
  readonly hashes: number;
  readonly expectedItems: number;
  readonly falsePositiveRate: number;
  private readonly words: Uint32Array;
  private added = 0;

  constructor(expectedItems: number, falsePositiveRate: number) {
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) throw new RangeError(`false-positive rate must be in (0, 1), got ${falsePositiveRate}`);
    const n = Math.max(1, Math.ceil(expectedItems));
    this.expectedItems = n;
    this.falsePositiveRate = falsePositiveRate;
    this.bits = Math.max(64, Math.ceil((-n * Math.log(falsePositiveRate)) / Math.LN2 ** 2));
    this.hashes = Math.max(1, Math.round((this.bits / n) * Math.LN2));
    this.words = new Uint32Array(Math.ceil(this.bits / 32));
  }

  get sizeBytes(): number {
    return this.words.byteLength;
  }

  get itemsAdded(): number {
    return this.added;
  }

  add(key: Uint8Array): void {
    const [h1, h2] = hashPair(key);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + i * h2) % this.bits;
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.added++;
  }

  /** False: certainly never added. True: added, or a false positive. */
  mightContain(key: Uint8Array): boolean {
    const [h1, h2] = hashPair(key);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + i * h2) % this.bits;
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Theoretical false-positive rate after `inserted` distinct items: (1 − e^(−k·n/m))^k. */
export function expectedFalsePositiveRate(bits: number, hashes: number, inserted: number): number {
  return (1 - Math.exp((-hashes * inserted) / bits)) ** hashes;
}

/**
 * The most false positives accepted as "within the error bound" when `negatives` keys that were
 * never added are tested at rate p: mean + 4 standard deviations of the binomial, plus one.
 */
export function allowedFalsePositives(negatives: number, p: number): number {
  const mean = negatives * p;
  return Math.floor(mean + 4 * Math.sqrt(mean * (1 - p)) + 1);
}

/** FNV-1a and a murmur3-finalised variant of it: two independent-enough 32-bit hashes. */
function hashPair(key: Uint8Array): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key[i]!;
    h = Math.imul(h, 0x01000193);
  }
  let g = h ^ 0x9e3779b9;
  g = Math.imul(g ^ (g >>> 16), 0x85ebca6b);
  g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35);
  g ^= g >>> 16;
  // An odd step keeps the k positions distinct when m is even.
  return [h >>> 0, (g | 1) >>> 0];
}
