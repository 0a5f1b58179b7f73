import type { EmbeddedExit } from '../../lib/mongo/embedded.js';
import { readMark } from '../../lib/mongo/ownership.js';
import { openTarget, type TargetOptions } from '../../lib/mongo/target.js';
import type { SeedResult } from '../../results/seed.js';

/**
 * Whether what seed loaded into the embedded mongod is on disk: the server accepted every write
 * (load errors surface as they come), stopped cleanly when asked (exit code 0), and on the next
 * start holds the dataset seed recorded. A mongod that could not write its files (a full disk, an
 * unclean stop) would otherwise let seed report success over nothing.
 */
export async function checkPersisted(result: SeedResult, exit: EmbeddedExit, target: TargetOptions): Promise<NonNullable<SeedResult['embeddedServer']>> {
  const stop = { exitCode: exit.code, signal: exit.signal, clean: exit.clean };
  if (!exit.clean) return { ...stop, verifiedOnRestart: false, problem: `${exit.cause}; the dataset was not saved, re-run with --drop` };
  if (!result.load.complete || result.problems.length > 0) return { ...stop, verifiedOnRestart: false, problem: null };
  const reopened = await openTarget(target);
  const missing: string[] = [];
  try {
    if ((await readMark(reopened.db))?.dataset === undefined) missing.push('the dataset record');
    for (const summary of result.collections) {
      const found = await reopened.db.collection(summary.name).estimatedDocumentCount();
      if (found !== summary.documents)
        missing.push(`${summary.name} holds ${found.toLocaleString('en-US')} of ${summary.documents.toLocaleString('en-US')} documents`);
    }
  } finally {
    const second = await reopened.close();
    if (second && !second.clean && second.cause) missing.push(second.cause);
  }
  if (missing.length === 0) return { ...stop, verifiedOnRestart: true, problem: null };
  return {
    ...stop,
    verifiedOnRestart: false,
    problem: `after a restart the embedded mongod does not hold what was loaded (${missing.join('; ')}); re-run with --drop`,
  };
}
