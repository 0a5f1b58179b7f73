// A measuring child for test/integration/measure-session.test.ts: a fake strategy (it reads one
// collection and returns the values it read) run through the real session of src/core/measure
// (dist/, built by global-setup), exactly as compare-unread's and query's children use it.
import { firstPeak, timedRuns, warmUp } from '../../dist/core/measure/runs.js';
import { endOfChild, openSession, receiveSessionConfig } from '../../dist/core/measure/session.js';
import { settledHeapUsed } from '../../dist/core/measure/settle.js';
import { sendFinal } from '../../dist/lib/child/in-child.js';

const { config, spawnMs } = await receiveSessionConfig();
const session = openSession(config, { appName: 'imdiag-test-session' });

const read = async (context) => {
  const values = [];
  for await (const doc of context.db.collection(config.collection).find({}, { batchSize: 100 })) {
    values.push(doc.n);
    context.probe.docs(1);
  }
  if (config.mode === 'error') throw new Error(`fake strategy failed after ${values.length} documents\n    at a driver's stack`);
  await context.atPeak();
  return values;
};

async function measure() {
  const { db, connectMs } = await session.connect();
  const replies = await warmUp(session, db, read);
  const timed = await timedRuns(session, db, read, (values) => ({ count: values.length }));
  const base = await settledHeapUsed();
  let liveAtPeakBytes = null;
  const peak = firstPeak(async () => {
    liveAtPeakBytes = (await settledHeapUsed(3)) - base;
  });
  await read(session.context(db, { atPeak: peak.atPeak }));
  return {
    type: 'result',
    spawnMs,
    connectMs,
    ...replies,
    runs: timed.runs,
    lastCount: timed.last?.length ?? null,
    liveAtPeakBytes,
    notes: [...session.notes],
  };
}

await sendFinal(await endOfChild(session, { strategy: 'fake' }, measure));
