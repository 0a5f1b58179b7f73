/** A linear map from a data domain onto a pixel range, with readable ("nice") tick values. */
export interface LinearScale {
  (value: number): number;
  domain: [number, number];
  ticks: number[];
}

/** Ticks at 1, 2 or 5 × 10^k, about `count` of them, covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) max = min + 1;
  const rawStep = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rawStep) ?? 10 * magnitude;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let value = first; value < max + step * 0.999; value += step) ticks.push(roundTo(value, step));
  return ticks;
}

function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}

/** Domain widened to the surrounding nice ticks so the axis starts and ends on a labelled value. */
export function linearScale(min: number, max: number, rangeStart: number, rangeEnd: number, tickCount = 5): LinearScale {
  const ticks = niceTicks(min, max, tickCount);
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const scale = ((value: number) => rangeStart + ((value - lo) / (hi - lo)) * (rangeEnd - rangeStart)) as LinearScale;
  scale.domain = [lo, hi];
  scale.ticks = ticks;
  return scale;
}

/** Short tick labels: 1500 → 1.5k, 2000000 → 2M; fractions keep two significant digits. */
export function tickLabel(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toFixed(1)}k`;
  if (abs >= 1 || abs === 0) return String(+value.toFixed(1));
  return String(+value.toPrecision(2));
}
