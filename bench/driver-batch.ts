/**
 * `npm run bench:driver-batch`: what the driver's lazily parsed batch costs (src/engines/query/batch.ts),
 * side by side in one process: user-001's receipts in the six-month window, whole or projected to
 * `{msgId}`, with the driver's default batches (a getMore fills 16 MiB of BSON) and with
 * `batchSize: 1000`. Per case and round: the peak heap growth sampled every 500 documents while
 * `for await` + push reads them (what toArray does), and the live heap after a full GC with the
 * drained cursor still referenced, then dropped.
 *
 *   npm run bench:driver-batch -- [--uri mongodb://…] [--db bench_query] [--rounds 3] [--json]   (--help lists the flags)
 * Without --uri it starts a throw-away mongod (MONGOMS_SYSTEM_BINARY honoured) and seeds demo.
 */
import type { Db, Document } from 'mongodb';
import { collectEnvironment } from '../src/lib/environment.js';
import { bytes } from '../src/lib/format.js';
import { benchArgs, flag } from './args.js';
import { openDemoDatabase } from './demo-db.js';
import { median } from './stats.js';

const values = benchArgs(
  {
    name: 'bench:driver-batch',
    about: "what the driver's lazily parsed batch costs: user-001's receipts, whole or {msgId}, default batches or batchSize 1000.",
  },
  {
    uri: flag.uri(),
    db: flag.db('bench_query'),
    rounds: flag.integer('rounds of the four cases; medians reported', 3, 1, 100),
    json: flag.switch('print the figures as JSON on stdout'),
  },
);
const rounds = values.rounds;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run under node --expose-gc (npm run bench:driver-batch does)');

/** The window compare-unread's strategies read on demo (anchor 2018-08-10, six months). */
const FILTER = { userId: 'user-001', readDateTime: { $gt: new Date('2018-02-10T00:00:00Z') } };
const CASES = [
  { name: 'whole documents', projection: undefined, batchSize: undefined },
  { name: 'whole documents, batchSize 1000', projection: undefined, batchSize: 1000 },
  { name: '{msgId}', projection: { _id: 0, msgId: 1 }, batchSize: undefined },
  { name: '{msgId}, batchSize 1000', projection: { _id: 0, msgId: 1 }, batchSize: 1000 },
];

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
  }
  return process.memoryUsage().heapUsed;
}

async function measure(db: Db, c: (typeof CASES)[number]) {
  const base = await settledHeap();
  let cursor: ReturnType<ReturnType<Db['collection']>['find']> | null = db
    .collection('readMsgs')
    .find(FILTER, { ...(c.projection && { projection: c.projection }), ...(c.batchSize && { batchSize: c.batchSize }) });
  const documents: Document[] = [];
  let peak = base;
  for await (const document of cursor) {
    documents.push(document);
    if (documents.length % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const withCursor = (await settledHeap()) - base;
  cursor = null;
  const withoutCursor = (await settledHeap()) - base;
  return { docs: documents.length, peakGrowthBytes: peak - base, liveWithCursorBytes: withCursor, liveWithoutCursorBytes: withoutCursor };
}

const { db, close } = await openDemoDatabase(values.uri, values.db, 'bench:driver-batch');
const readings: Array<{ case: string; round: number } & Awaited<ReturnType<typeof measure>>> = [];
for (let round = 1; round <= rounds; round++) {
  for (const c of CASES) {
    process.stderr.write(`bench:driver-batch: round ${round}/${rounds}, ${c.name}…\n`);
    readings.push({ case: c.name, round, ...(await measure(db, c)) });
  }
}
await close();

const summary = CASES.map((c) => {
  const mine = readings.filter((r) => r.case === c.name);
  return {
    case: c.name,
    docs: mine[0]!.docs,
    medianPeakGrowthBytes: median(mine.map((r) => r.peakGrowthBytes)),
    medianLiveWithCursorBytes: median(mine.map((r) => r.liveWithCursorBytes)),
    medianLiveWithoutCursorBytes: median(mine.map((r) => r.liveWithoutCursorBytes)),
  };
});
if (values.json) process.stdout.write(`${JSON.stringify({ bench: 'driver-batch', environment: collectEnvironment(), rounds, summary, readings }, null, 2)}\n`);
else {
  const env = collectEnvironment();
  const lines = [
    `bench:driver-batch · readMsgs.find(user-001, six-month window) · Node ${process.version}, ${env.cpus} CPUs · ${rounds} rounds, medians`,
    `${'case'.padEnd(34)} ${'docs'.padStart(8)}  ${'peak growth'.padStart(11)}  ${'live, cursor held'.padStart(17)}  ${'live, cursor dropped'.padStart(20)}  held ÷ dropped`,
    ...summary.map(
      (s) =>
        `${s.case.padEnd(34)} ${s.docs.toLocaleString('en-US').padStart(8)}  ${bytes(s.medianPeakGrowthBytes).padStart(11)}  ${bytes(s.medianLiveWithCursorBytes).padStart(17)}  ${bytes(s.medianLiveWithoutCursorBytes).padStart(20)}  ×${(s.medianLiveWithCursorBytes / Math.max(1, s.medianLiveWithoutCursorBytes)).toFixed(1)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
