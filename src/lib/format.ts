/**
 * The one formatter of numbers for people: terminal tables, Markdown and HTML reports (docs/architecture.md,
 * house rule 11). en-US digits, so reports diff cleanly; binary units (KB = 1024 B, MB = 1024 KB), as
 * Node's heap figures and --max-old-space-size use. A missing value is NO_VALUE everywhere.
 */
export const NO_VALUE = '–';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

type Maybe = number | null | undefined;

function missing(value: Maybe): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

/** 1234567 → "1,234,567". */
export function count(value: Maybe): string {
  if (missing(value)) return NO_VALUE;
  return Math.round(value).toLocaleString('en-US');
}

export function toMB(bytes: number): number {
  return bytes / MB;
}

/** Bytes → "12.34 MB" / "151.2 MB": a heap figure, always in MB. */
export function megabytes(bytes: Maybe): string {
  if (missing(bytes)) return NO_VALUE;
  return `${toMB(bytes).toLocaleString('en-US', { maximumFractionDigits: toMB(bytes) < 10 ? 2 : 1 })} MB`;
}

/** Bytes → "512 B", "12.3 KB", "12.34 MB", "1.20 GB": a size in the unit that suits it. */
export function bytesHuman(bytes: Maybe): string {
  if (missing(bytes)) return NO_VALUE;
  if (bytes < KB) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / KB).toFixed(1)} KB`;
  if (bytes < GB) return megabytes(bytes);
  return `${(bytes / GB).toFixed(2)} GB`;
}

/** Bytes → "512 B", "1.5 KB", "140 MB", "-3.0 MB": two or three significant digits, for narrow table cells. */
export function bytes(value: Maybe): string {
  if (missing(value)) return NO_VALUE;
  const sign = value < 0 ? '-' : '';
  let scaled = Math.abs(value);
  if (scaled < KB) return `${sign}${scaled} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let unit = -1;
  while (scaled >= KB && unit < units.length - 1) {
    scaled /= KB;
    unit++;
  }
  return `${sign}${scaled.toFixed(scaled < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * A retained-heap figure beside the noise of the readings it is the difference of: inside the
 * noise (or below zero, which a heap that retained nothing can read) it is "≈ 0 (± noise)", the ±
 * wide enough to hold what was read; never a negative heap, never a silent clamp. `unit` is the
 * formatter of the table it goes in. Without a noise figure (older results) only a negative is
 * shown as "≈ 0".
 */
export function retainedHeap(value: Maybe, noise: Maybe, unit: (value: Maybe) => string = bytes): string {
  if (missing(value)) return NO_VALUE;
  const spread = missing(noise) ? 0 : noise;
  if (value > spread) return unit(value);
  const within = Math.max(spread, Math.abs(value));
  return within === 0 ? '≈ 0' : `≈ 0 (± ${unit(within)})`;
}

/** A median with its range over several readings: "127 MB (120 MB–130 MB)"; one reading or equal ends: the median alone. */
export function medianRange(median: Maybe, min: Maybe, max: Maybe, unit: (value: Maybe) => string = bytes): string {
  if (missing(median)) return NO_VALUE;
  if (missing(min) || missing(max) || unit(min) === unit(max)) return unit(median);
  return `${unit(median)} (${unit(min)}–${unit(max)})`;
}

/** Milliseconds → "0.42 ms", "12.3 ms", "1,234 ms", "12.3 s". */
export function milliseconds(ms: Maybe): string {
  if (missing(ms)) return NO_VALUE;
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Milliseconds as a bare figure for a column headed "ms": "4.21", "42.1", "1,234". */
export function msFigure(ms: Maybe): string {
  if (missing(ms)) return NO_VALUE;
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');
}

/** Seconds → "45 s", "12.5 min", "3.2 h". */
export function duration(seconds: Maybe): string {
  if (missing(seconds)) return NO_VALUE;
  if (seconds < 120) return `${+seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${+(seconds / 60).toFixed(1)} min`;
  return `${+(seconds / 3600).toFixed(1)} h`;
}

/** Seconds as a clock for a line that updates every second: "0:07", "4:05", "1:02:03" (whole seconds, rounded down). */
export function clock(seconds: Maybe): string {
  if (missing(seconds) || seconds < 0) return NO_VALUE;
  const whole = Math.floor(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** A rate: "1,234 docs/s". */
export function rate(perSecond: Maybe, unit: string): string {
  if (missing(perSecond)) return NO_VALUE;
  return `${count(perSecond)} ${unit}/s`;
}

/** 140.2 → "140×", 2.34 → "2.3×". */
export function ratio(value: Maybe): string {
  if (missing(value)) return NO_VALUE;
  return `${value >= 10 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)}×`;
}

/** 0.123 → "12.3 %". */
export function percent(fraction: Maybe, digits = 1): string {
  if (missing(fraction)) return NO_VALUE;
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** At most `digits` decimals, no trailing zeros: 1.5, 1,234.57, 0. */
export function decimal(value: Maybe, digits = 2): string {
  if (missing(value)) return NO_VALUE;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits });
  // -0.0004 rounds to "-0": no sign on a zero.
  return /^-0(\.0*)?$/.test(text) ? '0' : text;
}

/** A command line as one copy-pasteable shell line: arguments quoted only when they need it. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** "2–5 samples a repetition": what a sampled leak site's growth went unjudged on (core/leak/sampled-growth.ts). */
export function samplesPerRepetition(samples: readonly number[] | undefined): string {
  if (!samples || samples.length === 0) return '? samples a repetition';
  const low = Math.min(...samples);
  const high = Math.max(...samples);
  return `${low === high ? count(low) : `${count(low)}–${count(high)}`} ${high === 1 ? 'sample' : 'samples'} a repetition`;
}
