/**
 * Cuts the number batches of a JSON array (json-object-stream.ts) into whole records of `stride`
 * numbers, so a reader's loop walks records, not a field counter per number. A record split
 * between two batches (only when the batch size is not a multiple of the stride) is carried.
 */
export function wholeRecords(stride: number, walk: (data: Float64Array, from: number, to: number) => void): (batch: Float64Array, count: number) => void {
  const carried = new Float64Array(stride);
  let carriedCount = 0;
  return (batch, count) => {
    let at = 0;
    if (carriedCount > 0) {
      while (carriedCount < stride && at < count) carried[carriedCount++] = batch[at++]!;
      if (carriedCount < stride) return;
      walk(carried, 0, stride);
      carriedCount = 0;
    }
    const end = at + Math.floor((count - at) / stride) * stride;
    if (end > at) walk(batch, at, end);
    while (end + carriedCount < count) carried[carriedCount] = batch[end + carriedCount++]!;
  };
}
