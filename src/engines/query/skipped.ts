import type { RecordedSkip, SkipReason } from '../../results/query.js';

/** Names kept per reason: enough to say which databases or commands, not a dump of the log. */
const NAMES_KEPT = 5;

/** Recorded operations not measured, counted by reason and named (their namespace or command). */
export class SkipCounter {
  private readonly byReason = new Map<SkipReason, RecordedSkip>();

  add(reason: SkipReason, name: string | null, count = 1): void {
    const entry = this.byReason.get(reason) ?? { reason, count: 0, names: [] };
    entry.count += count;
    if (name && entry.names.length < NAMES_KEPT && !entry.names.includes(name)) entry.names.push(name);
    this.byReason.set(reason, entry);
  }

  merge(other: readonly RecordedSkip[]): this {
    for (const skip of other) {
      const entry = this.byReason.get(skip.reason) ?? { reason: skip.reason, count: 0, names: [] };
      entry.count += skip.count;
      for (const name of skip.names) if (entry.names.length < NAMES_KEPT && !entry.names.includes(name)) entry.names.push(name);
      this.byReason.set(skip.reason, entry);
    }
    return this;
  }

  list(): RecordedSkip[] {
    return [...this.byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
}

/** Commands that write: recorded, but never replayed (imdiag only reads). */
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify', 'bulkWrite']);

/**
 * A write, from a slow-query line (`c: "WRITE"` with `type` update / remove for an update or delete
 * statement, as mongod logs them) or from the command's name (insert, update, delete, findAndModify).
 */
export function isWrite(component: unknown, type: unknown, command: Record<string, unknown>): boolean {
  if (component === 'WRITE' || type === 'update' || type === 'remove') return true;
  return WRITE_COMMANDS.has(Object.keys(command)[0] ?? '');
}
