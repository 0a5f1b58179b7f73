import type { Db, ObjectId } from 'mongodb';
import { silentReporter } from '../../src/lib/progress.js';
import type { RunContext } from '../../src/lib/run-context.js';

/** Shared by the compare-unread tests: a fixed-anchor tiny dataset and an independent unread answer. */
export const TINY_ANCHOR = '2026-01-15';

export function testContext(): RunContext {
  return { reporter: silentReporter, argv: ['imdiag', 'compare-unread'], startedAt: new Date(), signal: new AbortController().signal };
}

/** Seeds the `tiny` profile (seed's own generator, fixed seed and anchor) into `db`. */
export async function seedTiny(uri: string, dbName: string): Promise<void> {
  const { seed, validateSeedOptions } = await import('../../src/commands/seed/handler.js');
  const options = validateSeedOptions({ profile: 'tiny', uri, db: dbName, anchor: TINY_ANCHOR });
  const result = await seed(options, testContext());
  if (result.problems.length > 0) throw new Error(result.problems.join('; '));
}

/**
 * The unread set computed without any strategy code: every message listing the user as a
 * receiver whose id appears in none of the user's receipts, from two plain scans.
 */
export async function independentUnread(db: Db, userId: string): Promise<string[]> {
  const read = new Set<string>();
  for await (const receipt of db.collection<{ userId: string; msgId: ObjectId }>('readMsgs').find({})) {
    if (receipt.userId === userId) read.add(receipt.msgId.toHexString());
  }
  const unread: string[] = [];
  for await (const message of db.collection<{ _id: ObjectId; receivers: string[] }>('msgs').find({})) {
    if (message.receivers.includes(userId) && !read.has(message._id.toHexString())) unread.push(message._id.toHexString());
  }
  return unread.sort();
}
