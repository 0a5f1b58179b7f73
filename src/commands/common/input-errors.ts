import { InputError, UsageError } from '../../lib/errors.js';

/** `groupBy` → `--group-by`: the flag commander reads into an option key. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** An engine's InputError as the one-line UsageError (exit 2) that names the flag; anything else as it is. */
export function withFlagName(error: unknown, flags: Readonly<Record<string, string>> = {}): unknown {
  if (!(error instanceof InputError)) return error;
  if (error.option === null) return new UsageError(error.reason);
  return new UsageError(`${flags[error.option] ?? flagOf(error.option)}${error.joint}${error.reason}`);
}

/** Runs a handler's work; bad input its engine found leaves as a UsageError naming the flag. */
export async function namingFlags<T>(work: () => Promise<T>, flags?: Readonly<Record<string, string>>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw withFlagName(error, flags);
  }
}
