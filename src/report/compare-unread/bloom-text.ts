import { bytes, count, percent } from '../../lib/format.js';
import type { BloomReport } from '../../results/compare-unread.js';

/**
 * The Bloom filter's figures in words, shared by the terminal and the documents: how it was sized
 * and grew, its measured false-positive rate with the 95 % interval beside the configured one, and
 * what the exact answer says (a handful of unread ids: a check, not a rate).
 */
export function bloomSizing(b: BloomReport): string {
  const stages = b.stages ?? 1;
  const grew = stages > 1 ? `, grew to ${stages} stages (hashes ${(b.hashesPerStage ?? [b.hashes]).join('/')})` : `, ${b.hashes} hashes`;
  const distinct = b.distinctItems === undefined ? '' : ` holding ${count(b.distinctItems)} distinct ids`;
  return `${bytes(b.sizeBytes)} filter (${count(b.bits)} bits${grew}) first sized for ${count(b.expectedItems)} ids at p=${b.configuredFalsePositiveRate}${distinct}; ${count(b.itemsAdded)} receipts added`;
}

export function bloomMeasuredRate(b: BloomReport): string {
  const test = b.falsePositiveTest;
  if (!test) return `false-positive rate not measured (configured ${percent(b.configuredFalsePositiveRate, 2)})`;
  const [low, high] = test.ci95;
  return `false-positive rate ${percent(test.rate, 2)} measured over ${count(test.probes)} absent ids (95 % CI ${percent(low, 2)}–${percent(high, 2)}), configured ${percent(b.configuredFalsePositiveRate, 2)}`;
}

export function bloomAgainstExact(b: BloomReport): string {
  if (b.observedFalsePositives === null) return 'not checked against an exact answer';
  return `${count(b.observedFalsePositives)} unread hidden against the exact answer (at most ${count(b.allowedFalsePositives)} accepted)`;
}
