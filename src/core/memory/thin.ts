/** A result keeps at most this many readings (the fit used them all): a 2-hour run stays a small file. */
export const MAX_KEPT_SAMPLES = 2_000;

/**
 * At most `max` items, evenly spaced over the whole series: the first and the last are always
 * kept (the last reading is where the run ended), the ones between at steps of (n − 1) / (max − 1).
 * A series already short enough comes back whole, as a copy.
 */
export function thinEvenly<T>(items: readonly T[], max: number = MAX_KEPT_SAMPLES): T[] {
  if (items.length <= max) return [...items];
  if (max <= 1) return items.slice(0, max);
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]!);
}
