import { evaluateConditions, type Condition, type ConditionOutcome, type MeasuredFigures } from '../../lib/conditions.js';

/** The --fail-on outcomes of a run, and the problems (exit 1) of those that held. */
export interface FailOnVerdict {
  readonly outcomes: ConditionOutcome[];
  readonly problems: string[];
}

/**
 * The one place --fail-on is judged, for every command: the conditions parsed by the command's
 * validator against the figures its engine measured. `describe` writes a figure's value as the
 * command shows it; `subject` (e.g. query's --fail-on-variant) leads the detail of a problem;
 * `basis`, when the figures are the larger of two predictions, says which one they are.
 */
export function judgeFailOn(
  conditions: readonly Condition[],
  measured: MeasuredFigures,
  describe: (figure: string, value: number) => string,
  subject?: string,
  basis?: string,
): FailOnVerdict {
  const outcomes = evaluateConditions(conditions, measured, describe).map((outcome) =>
    basis === undefined || outcome.detail.endsWith('was not measured') ? outcome : { ...outcome, detail: `${outcome.detail} (${basis})` },
  );
  const problems = outcomes
    .filter((outcome) => outcome.held)
    .map((outcome) => `--fail-on ${outcome.condition}: ${subject === undefined ? '' : `${subject} `}${outcome.detail}`);
  return { outcomes, problems };
}
