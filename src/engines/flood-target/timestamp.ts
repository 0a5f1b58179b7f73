/**
 * Latency "when a timestamp can be found in the payload": the producers' `{{now}}` is milliseconds
 * since the epoch, a 13-digit number; a push that carries the newest data usually puts its time
 * near the start or the end (`{"newest":…` in the example server). Only the first and last
 * SCAN_CHARS characters are read — scanning whole charts of hundreds of KB at every push would
 * make the monitors the bottleneck — and only times from this run count.
 */
export const SCAN_CHARS = 512;
const EPOCH_MS = /(?<![\d.])1\d{12}(?:\.\d+)?(?![\d])/g;

export function newestTimestamp(text: string, notBefore: number, notAfter: number): number | null {
  const parts = text.length <= 2 * SCAN_CHARS ? [text] : [text.slice(0, SCAN_CHARS), text.slice(-SCAN_CHARS)];
  let newest: number | null = null;
  for (const part of parts) {
    for (const match of part.matchAll(EPOCH_MS)) {
      const value = Number(match[0]);
      if (value >= notBefore && value <= notAfter && (newest === null || value > newest)) newest = value;
    }
  }
  return newest;
}
