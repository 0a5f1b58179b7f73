import { expect } from 'vitest';
import { UsageError } from '../../src/lib/errors.js';

/** The one-line message of the UsageError `work` throws (bad input: exit 2); fails the test otherwise. */
export function usageMessage(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}
