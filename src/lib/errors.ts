/**
 * The two kinds of failure that src/main.ts turns into exit codes.
 * Anything else thrown is unexpected: its stack is printed and the exit code is 1.
 */

/** Bad input from the user: one line naming the flag or value and what is allowed. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The run could not be done or a check failed (server unreachable, strategies disagree, …). Exit 1. */
export class CheckError extends Error {
  override readonly name = 'CheckError';
}

/**
 * Bad input found by an engine or the core, which know no flags: `option` is the key of the
 * command's options the value came from (`db`, `collection`, `groupBy`), or null when `reason`
 * names the value itself (a file's path). The command layer turns it into the UsageError that names
 * the flag (src/commands/common/input-errors.ts): `${flag}${joint}${reason}`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly option: string | null;
  readonly reason: string;
  readonly joint: ': ' | ' ';
  constructor(option: string | null, reason: string, joint: ': ' | ' ' = ': ') {
    super(option === null ? reason : `${option}${joint}${reason}`);
    this.option = option;
    this.reason = reason;
    this.joint = joint;
  }
}
