import { UsageError } from './errors.js';
import type { ConditionOutcome } from './result.js';

export type { ConditionOutcome } from './result.js';
import { parseBytes, parseDuration } from './validate.js';

/**
 * The `--fail-on` condition syntax every command shares (a CI gate): a figure, `>` or `<`, a
 * value — `live>512MB`, `growth>50MB`, `p50>2s`, `rate<100` — or a verdict word alone —
 * `growing`, `died`. Several conditions are joined with commas; the run fails when any holds.
 *
 * Each command declares which figures it has (and of which kind) and which verdict words it
 * can reach; a condition naming anything else is a usage error listing what is allowed.
 */

export type FigureKind = 'bytes' | 'duration' | 'count';

export interface ConditionVocabulary {
  /** figure name → how its value is written (`512MB`, `2s`, `1000`). */
  readonly figures: Readonly<Record<string, FigureKind>>;
  /** verdict words that may stand alone, e.g. `growing`. */
  readonly verdicts: readonly string[];
}

export type Condition =
  | { readonly kind: 'compare'; readonly figure: string; readonly op: '>' | '<'; readonly value: number; readonly text: string }
  | { readonly kind: 'verdict'; readonly verdict: string; readonly text: string };

/** What a command measured, for `evaluateConditions`: figures in bytes / ms / counts; the verdict words that apply. */
export interface MeasuredFigures {
  readonly figures: Readonly<Record<string, number | null>>;
  readonly verdicts: readonly string[];
}

const CONDITION = /^([a-z][a-z0-9-]*)\s*([<>])\s*(.+)$/i;

export function parseConditions(flag: string, raw: string, vocabulary: ConditionVocabulary): Condition[] {
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new UsageError(`${flag} must name at least one condition, e.g. ${example(vocabulary)}`);
  return parts.map((part) => parseCondition(flag, part, vocabulary));
}

function parseCondition(flag: string, text: string, vocabulary: ConditionVocabulary): Condition {
  const lower = text.toLowerCase();
  if (vocabulary.verdicts.includes(lower)) return { kind: 'verdict', verdict: lower, text: lower };
  const match = CONDITION.exec(text);
  if (!match) throw new UsageError(`${flag}: '${text}' is not a condition; use FIGURE>VALUE, FIGURE<VALUE or a verdict word (${allowed(vocabulary)})`);
  const figure = match[1]!.toLowerCase();
  const kind = vocabulary.figures[figure];
  if (kind === undefined) throw new UsageError(`${flag}: unknown figure '${match[1]}'; allowed: ${allowed(vocabulary)}`);
  const value = parseValue(flag, figure, match[2]!, match[3]!.trim(), kind);
  return { kind: 'compare', figure, op: match[2] as '>' | '<', value, text: `${figure}${match[2]}${match[3]!.trim()}` };
}

/** The units each kind of figure is written with; a size or duration without one is refused, never guessed. */
export const FIGURE_UNITS: Readonly<Record<Exclude<FigureKind, 'count'>, { readonly units: string; readonly example: string; readonly pattern: RegExp }>> = {
  bytes: { units: 'B, KB, MB, GB', example: '512MB', pattern: /^\d+(?:\.\d+)?\s*(?:b|kb|mb|gb)$/i },
  duration: { units: 'ms, s, m, h', example: '2s', pattern: /^\d+(?:\.\d+)?(?:ms|s|m|h)$/ },
};

function parseValue(flag: string, figure: string, op: string, raw: string, kind: FigureKind): number {
  const name = `${flag} ${figure}`;
  if (kind === 'count') {
    const value = Number(raw.replace(/_/g, ''));
    if (raw === '' || !Number.isFinite(value)) throw new UsageError(`${name} must be a number, got '${raw}'`);
    return value;
  }
  const { units, example, pattern } = FIGURE_UNITS[kind];
  const what = kind === 'bytes' ? 'a size' : 'a duration';
  if (/^\d+(?:\.\d+)?$/.test(raw))
    throw new UsageError(
      `${flag} ${figure}${op}${raw}: ${figure} is ${what} and needs a unit, one of ${units} (e.g. ${figure}${op}${raw}${example.replace(/^\d+/, '')})`,
    );
  if (!pattern.test(raw)) throw new UsageError(`${name} must be ${what} with one of the units ${units} (e.g. ${example}), got '${raw}'`);
  return kind === 'bytes' ? parseBytes(name, raw, 0, Number.MAX_SAFE_INTEGER) : parseDuration(name, raw, 0, Number.MAX_SAFE_INTEGER);
}

/** Each condition against what was measured. A figure that was not measured never holds, and says so. */
export function evaluateConditions(
  conditions: readonly Condition[],
  measured: MeasuredFigures,
  describe: (figure: string, value: number) => string,
): ConditionOutcome[] {
  return conditions.map((condition) => {
    if (condition.kind === 'verdict') {
      const held = measured.verdicts.includes(condition.verdict);
      return {
        condition: condition.text,
        held,
        detail: held ? `verdict is ${condition.verdict}` : `verdict is ${measured.verdicts.join(', ') || 'none'}, not ${condition.verdict}`,
      };
    }
    const value = measured.figures[condition.figure];
    if (value === null || value === undefined) return { condition: condition.text, held: false, detail: `${condition.figure} was not measured` };
    const held = condition.op === '>' ? value > condition.value : value < condition.value;
    const shown = `${condition.figure} ${describe(condition.figure, value)} ${held ? condition.op : condition.op === '>' ? '≤' : '≥'} ${describe(condition.figure, condition.value)}`;
    return { condition: condition.text, held, detail: shown };
  });
}

function allowed(vocabulary: ConditionVocabulary): string {
  return [...Object.keys(vocabulary.figures).map((name) => `${name}>…`), ...vocabulary.verdicts].join(', ');
}

function example(vocabulary: ConditionVocabulary): string {
  const figure = Object.entries(vocabulary.figures)[0];
  if (figure) return `'${figure[0]}>${figure[1] === 'bytes' ? '512MB' : figure[1] === 'duration' ? '2s' : '100'}'`;
  return `'${vocabulary.verdicts[0] ?? 'growing'}'`;
}
