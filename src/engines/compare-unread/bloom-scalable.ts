import { ObjectId } from 'mongodb';
import { BloomFilter } from './bloom.js';
import type { FalsePositiveTest } from '../../results/compare-unread.js';

/**
 * A scalable Bloom filter (Almeida, Baquero, Preguiça, Hutchison, "Scalable Bloom Filters", 2007):
 * a series of plain filters, each sized for GROWTH× the items of the one before at TIGHTENING× its
 * rate; a new one starts when the current one holds what it was sized for. The rates form a
 * geometric series, so the compound false-positive rate stays below the configured p whatever the
 * number of items: stage i gets p·(1 − r)·rⁱ, and Σ p·(1 − r)·rⁱ = p.
 *
 * Why: the filter is sized before the receipts stream in, from the messages received in the window;
 * it then receives more distinct ids than that (receipts in the window also cover older messages),
 * and a plain filter past its capacity has a real rate several times the configured one.
 * Only keys it has not seen count towards a stage's capacity (receipts repeat ids many times).
 */
const GROWTH = 2;
const TIGHTENING = 0.5;

export class ScalableBloomFilter {
  readonly falsePositiveRate: number;
  readonly initialCapacity: number;
  private readonly stages: { filter: BloomFilter; distinct: number }[] = [];
  private added = 0;
  private distinct = 0;

  constructor(initialCapacity: number, falsePositiveRate: number) {
    this.falsePositiveRate = falsePositiveRate;
    this.initialCapacity = Math.max(1, Math.ceil(initialCapacity));
    this.grow();
  }

  private grow(): void {
    const i = this.stages.length;
    const capacity = this.initialCapacity * GROWTH ** i;
    this.stages.push({ filter: new BloomFilter(capacity, this.falsePositiveRate * (1 - TIGHTENING) * TIGHTENING ** i), distinct: 0 });
  }

  add(key: Uint8Array): void {
    this.added++;
    if (this.mightContain(key)) return;
    let current = this.stages.at(-1)!;
    if (current.distinct >= current.filter.expectedItems) {
      this.grow();
      current = this.stages.at(-1)!;
    }
    current.filter.add(key);
    current.distinct++;
    this.distinct++;
  }

  mightContain(key: Uint8Array): boolean {
    return this.stages.some((stage) => stage.filter.mightContain(key));
  }

  get itemsAdded(): number {
    return this.added;
  }

  /** Keys that were new to the filter when added (a false positive at insertion is not counted). */
  get distinctItems(): number {
    return this.distinct;
  }

  get stageCount(): number {
    return this.stages.length;
  }

  get bits(): number {
    return this.stages.reduce((sum, stage) => sum + stage.filter.bits, 0);
  }

  get sizeBytes(): number {
    return this.stages.reduce((sum, stage) => sum + stage.filter.sizeBytes, 0);
  }

  /** Hash functions of each stage (more in the later, tighter ones). */
  get hashes(): number[] {
    return this.stages.map((stage) => stage.filter.hashes);
  }
}

/** 100,000 absent keys put the 95 % interval of a 1 % rate within about ±0.06 points. */
export const FALSE_POSITIVE_PROBES = 100_000;

/**
 * The filter's real false-positive rate: `probes` freshly generated ObjectIds (new now, so absent
 * from a dataset generated for its anchor date and from the filter) tested against it.
 */
export function measureFalsePositiveRate(filter: { mightContain(key: Uint8Array): boolean }, probes = FALSE_POSITIVE_PROBES): FalsePositiveTest {
  let falsePositives = 0;
  for (let i = 0; i < probes; i++) if (filter.mightContain(new ObjectId().id)) falsePositives++;
  return { probes, falsePositives, rate: falsePositives / probes, ci95: wilsonInterval(falsePositives, probes) };
}

/** Wilson score interval for x successes in n trials (z = 1.96 for 95 %): sound near 0, unlike x/n ± z·σ. */
export function wilsonInterval(x: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
