const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of `values` over `width` columns (each column the largest value of its
 * bucket, so spikes stay visible), on the scale [min, max] shared by the lines it is compared with.
 */
export function sparkline(values: readonly number[], width: number, min: number, max: number): string {
  if (values.length === 0) return '';
  const columns = Math.min(width, values.length);
  const range = max - min;
  let line = '';
  for (let column = 0; column < columns; column += 1) {
    const from = Math.floor((column * values.length) / columns);
    const to = Math.max(from + 1, Math.floor(((column + 1) * values.length) / columns));
    let peak = -Infinity;
    for (let i = from; i < to; i += 1) peak = Math.max(peak, values[i]!);
    const level = range > 0 ? Math.round(((peak - min) / range) * (BLOCKS.length - 1)) : 0;
    line += BLOCKS[Math.max(0, Math.min(BLOCKS.length - 1, level))];
  }
  return line;
}
