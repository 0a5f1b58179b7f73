import { UsageError } from './errors.js';

/** Pure parsers shared by the per-command validate… functions. Each throws a one-line UsageError. */

export function parseInteger(flag: string, raw: string | number | undefined, min: number, max: number): number {
  const text = String(raw ?? '').trim();
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${raw}'`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

export function parseNumber(flag: string, raw: string | number | undefined, min: number, max: number): number {
  const text = String(raw ?? '').trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got '${raw}'`);
  if (value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}, got ${value}`);
  return value;
}

export function parseChoice<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T {
  if (raw !== undefined && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${raw}'`);
}

/** A comma-separated list whose every item is one of `allowed`; duplicates removed, order kept. */
export function parseList<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`${flag} must list at least one of ${allowed.join(', ')}`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new UsageError(`${flag}: unknown '${item}'; allowed: ${allowed.join(', ')}`);
    }
  }
  return [...new Set(items)] as T[];
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `2m`, `1h` or plain seconds (`45`, `0.5`) → milliseconds. */
export function parseDuration(flag: string, raw: string | undefined, minMs: number, maxMs: number): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(raw ?? '').trim());
  const allowed = `a duration such as 500ms, 30s, 2m or plain seconds, from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  if (!match) throw new UsageError(`${flag} must be ${allowed}, got '${raw}'`);
  const ms = Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!;
  if (ms < minMs || ms > maxMs) throw new UsageError(`${flag} must be ${allowed}, got '${raw}'`);
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(2)}m`;
  return `${+(ms / 3_600_000).toFixed(2)}h`;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

/** `512`, `4kb`, `1MB` → bytes. */
export function parseBytes(flag: string, raw: string | undefined, min: number, max: number): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb?|mb?|gb?)?$/i.exec(String(raw ?? '').trim());
  const allowed = `a size such as 512, 4kb or 1mb, from ${min} to ${max} bytes`;
  if (!match) throw new UsageError(`${flag} must be ${allowed}, got '${raw}'`);
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!);
  if (bytes < min || bytes > max) throw new UsageError(`${flag} must be ${allowed}, got '${raw}'`);
  return bytes;
}
