/** Number formatting shared by the Markdown and HTML reports (en-US digits, so reports diff cleanly). */

const MB = 1024 * 1024;

export function count(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Math.round(value).toLocaleString('en-US');
}

/** Bytes → "12.3 MB" (MiB, as Node's heap figures and --max-old-space-size use). */
export function megabytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  return `${toMB(bytes).toLocaleString('en-US', { maximumFractionDigits: toMB(bytes) < 10 ? 2 : 1 })} MB`;
}

export function toMB(bytes: number): number {
  return bytes / MB;
}

export function bytesHuman(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * MB) return megabytes(bytes);
  return `${(bytes / 1024 / MB).toFixed(2)} GB`;
}

export function milliseconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Seconds → "45 s", "12.5 min", "3.2 h". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 120) return `${+seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${+(seconds / 60).toFixed(1)} min`;
  return `${+(seconds / 3600).toFixed(1)} h`;
}

export function ratio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${value >= 10 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)}×`;
}

export function percent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)} %`;
}

export function decimal(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits });
  // -0.0004 rounds to "-0": no sign on a zero.
  return /^-0(\.0*)?$/.test(text) ? '0' : text;
}

/** A command line as one copy-pasteable shell line: arguments quoted only when they need it. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
