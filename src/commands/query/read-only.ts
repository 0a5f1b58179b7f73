import { UsageError } from '../../lib/errors.js';
import { writeRefusal } from '../../engines/query/safety.js';

/** A filter, projection or pipeline given with `flag` that would write or run JavaScript: a one-line error naming the flag. */
export function refuseWrites(flag: string, value: unknown): void {
  const refusal = writeRefusal(value);
  if (refusal !== null) throw new UsageError(`${flag}: ${refusal}`);
}
