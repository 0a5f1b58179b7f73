/**
 * The standalone experiment behind docs/benchmarks.md's "Why a sample's CPU per document was not the
 * whole result's": a query child's sequence (warm-up runs, then timed runs each after a settling GC)
 * with the driver or Mongoose alone, no imdiag code, and the CPU of each timed run split between the
 * main thread and V8's worker threads (/proc/self/task/<tid>/schedstat: Linux only), with its
 * scavenges and mark-compacts.
 *
 *   node --expose-gc [--max-semi-space-size=1] [--trace-deopt] scripts/query-cpu-probe.mjs \
 *     --uri mongodb://127.0.0.1:PORT --db imdiag [--variant driver|driver-loop|lean|mongoose|raw] [--docs 10001] [--warmup 1] [--runs 2]
 *     [--settle full|minor|none] [--rewarm 3000]
 *
 * Runs `--runs` timed runs at --docs, then as many at half of it (below the whole result), on
 * readMsgs {userId: 'user-001'} (imdiag seed --profile demo --anchor 2018-08-10). --settle: what
 * precedes each timed run (full: gc() twice, as imdiag's child; minor: two scavenges; none);
 * --rewarm N: after it, an unmeasured run on N documents, a 150 ms pause and two scavenges.
 * Prints one JSON line per timed run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PerformanceObserver } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';

const { values } = parseArgs({
  options: {
    uri: { type: 'string', default: 'mongodb://127.0.0.1:27017' },
    db: { type: 'string', default: 'imdiag' },
    variant: { type: 'string', default: 'driver' },
    docs: { type: 'string', default: '10001' },
    warmup: { type: 'string', default: '1' },
    runs: { type: 'string', default: '2' },
    settle: { type: 'string', default: 'full' },
    rewarm: { type: 'string', default: '0' },
  },
});
const gc = globalThis.gc;
if (!gc) throw new Error('run under node --expose-gc');
const docs = Number(values.docs);
const rewarmDocs = Number(values.rewarm);
const filter = { userId: 'user-001' };

/** Nanoseconds on a CPU so far: the main thread's and all other threads' (V8's workers, libuv's). */
function threadCpu() {
  const cpu = { main: 0, workers: 0 };
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (tid === String(process.pid)) cpu.main += ns;
      else cpu.workers += ns;
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return cpu;
}

const noCollections = () => ({ scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0, longestScavengeMs: 0, longestMarkCompactMs: 0 });
const collections = noCollections();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.detail.kind === 1) {
      collections.scavenges++;
      collections.scavengeMs += entry.duration;
      collections.longestScavengeMs = Math.max(collections.longestScavengeMs, entry.duration);
    } else {
      collections.markCompacts++;
      collections.markCompactMs += entry.duration;
      collections.longestMarkCompactMs = Math.max(collections.longestMarkCompactMs, entry.duration);
    }
  }
}).observe({ entryTypes: ['gc'] });

const client = await new MongoClient(values.uri).connect();
const readMsgs = client.db(values.db).collection('readMsgs');
let model = null;
let connection = null;
if (values.variant === 'lean' || values.variant === 'mongoose') {
  const { default: mongoose } = await import('mongoose');
  connection = await mongoose.createConnection(values.uri, { dbName: values.db }).asPromise();
  const schema = new mongoose.Schema({ userId: String, msgId: mongoose.Schema.Types.ObjectId, topicId: String, readDateTime: Date });
  model = connection.model('Receipt', schema, 'readMsgs');
}
const run = (limit) => {
  if (values.variant === 'raw') return readMsgs.find(filter, { raw: true, limit }).toArray();
  if (values.variant === 'driver') return readMsgs.find(filter, { limit }).toArray();
  if (values.variant === 'driver-loop') return readLoop(readMsgs.find(filter, { limit }));
  const query = model.find(filter).limit(limit);
  return (values.variant === 'lean' ? query.lean() : query).exec();
};
/** imdiag's read loop (src/engines/query/variants/cursor.ts, toArrayCounted) without its counting. */
async function readLoop(cursor) {
  const documents = [];
  for await (const document of cursor) {
    documents.push(document);
    for (const buffered of cursor.readBufferedDocuments()) documents.push(buffered);
  }
  return documents;
}
const collectTwice = (type = 'major') => {
  gc({ type });
  gc({ type });
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (let i = 0; i < Number(values.warmup); i++) await run(docs);
// The loop meter of imdiag's child turns every 2 ms.
const turn = setInterval(() => undefined, 2);
const sizes = [...Array(Number(values.runs)).fill(docs), ...Array(Number(values.runs)).fill(Math.floor(docs / 2))];
for (const size of sizes) {
  // A timer first: an awaited answer is only released once the async frame moves on.
  await pause(5);
  if (values.settle === 'full') collectTwice();
  else if (values.settle === 'minor') collectTwice('minor');
  if (rewarmDocs > 0) {
    await run(rewarmDocs);
    await pause(150);
    collectTwice('minor');
  }
  await pause(5);
  Object.assign(collections, noCollections());
  const threadsBefore = threadCpu();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const held = await run(size);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const threads = threadCpu();
  await pause(5);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const perDoc = (ns) => Math.round((ns / 1e3 / size) * 100) / 100;
  console.log(
    JSON.stringify({
      docs: held.length,
      cpuMs: Math.round(cpuMs * 10) / 10,
      cpuPerDocUs: Math.round((cpuMs * 1000 * 100) / size) / 100,
      mainPerDocUs: perDoc(threads.main - threadsBefore.main),
      workersPerDocUs: perDoc(threads.workers - threadsBefore.workers),
      wallMs: Math.round(wallMs * 10) / 10,
      ...collections,
      scavengeMs: Math.round(collections.scavengeMs * 10) / 10,
      markCompactMs: Math.round(collections.markCompactMs * 10) / 10,
      longestScavengeMs: Math.round(collections.longestScavengeMs * 10) / 10,
      longestMarkCompactMs: Math.round(collections.longestMarkCompactMs * 10) / 10,
    }),
  );
}
clearInterval(turn);
await client.close();
await connection?.close();
