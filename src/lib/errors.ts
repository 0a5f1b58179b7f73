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
