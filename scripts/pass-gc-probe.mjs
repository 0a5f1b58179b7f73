/**
 * The standalone experiment behind docs/benchmarks.md's "What the GC inside article's Mongoose pass
 * is made of": Mongoose's own whole-result pass (`Query.prototype._completeMany`, what `exec()` runs
 * after the driver's `toArray()`) over raw documents read with the driver, no imdiag code, with the
 * GC pauses inside the pass by kind (PerformanceObserver 'gc' entries).
 *
 *   node --expose-gc [--trace-gc-nvp] [--trace-incremental-marking] [--no-parallel-scavenge] \
 *     scripts/pass-gc-probe.mjs --uri mongodb://127.0.0.1:PORT --db imdiag [--docs 1760152]
 *     [--collect-first] [--ballast 5000000]
 *
 * Reads up to --docs of readMsgs {userId: 'user-001'} (imdiag seed --profile article --anchor
 * 2018-08-10 for 1,760,152 of them), then hydrates them all in one pass, holding the result.
 * --collect-first: two full collections between the read and the pass (the heap the read left
 * collected); --ballast N: N small objects held before the pass. Prints PASS-START / PASS-END around
 * the pass (to find it in V8's traces) and one JSON line.
 */
import { parseArgs } from 'node:util';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import mongoose from 'mongoose';

const { values } = parseArgs({
  options: {
    uri: { type: 'string', default: 'mongodb://127.0.0.1:27017' },
    db: { type: 'string', default: 'imdiag' },
    docs: { type: 'string', default: '1760152' },
    'collect-first': { type: 'boolean', default: false },
    ballast: { type: 'string', default: '0' },
  },
});
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

await mongoose.connect(values.uri, { dbName: values.db, socketTimeoutMS: 0 });
const schema = new mongoose.Schema(
  { userId: String, msgId: mongoose.Schema.Types.Mixed, topicId: mongoose.Schema.Types.Mixed, readDateTime: Date },
  { collection: 'readMsgs', strict: false },
);
const Receipt = mongoose.model('Receipt', schema);
const raw = await Receipt.collection.find({ userId: 'user-001' }).limit(Number(values.docs)).toArray();
const ballast = [];
for (let i = 0; i < Number(values.ballast); i++) ballast.push({ a: `x${i}`, b: i, c: [i, i + 1], d: { e: i } });
globalThis.ballast = ballast;
if (values['collect-first']) for (let i = 0; i < 2; i++) globalThis.gc();

const entries = [];
const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
console.log('PASS-START');
const start = performance.now();
const docs = await Receipt.find({ userId: 'user-001' })._completeMany(raw, undefined, undefined, {});
const end = performance.now();
console.log('PASS-END');
await new Promise((resolve) => setTimeout(resolve, 50));
entries.push(...observer.takeRecords());
observer.disconnect();

const inPass = entries.filter((entry) => entry.startTime >= start && entry.startTime < end);
const sum = (list) => list.reduce((total, entry) => total + entry.duration, 0);
const minor = inPass.filter((entry) => entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR);
const gcMs = sum(inPass);
console.log(
  JSON.stringify({
    docs: docs.length,
    passMs: Math.round(end - start),
    gcMs: Math.round(gcMs),
    scavenges: minor.length,
    scavengeMs: Math.round(sum(minor)),
    otherGcs: inPass.length - minor.length,
    gcPerDocUs: +((gcMs * 1000) / raw.length).toFixed(2),
    workPerDocUs: +(((end - start - gcMs) * 1000) / raw.length).toFixed(2),
    heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  }),
);
await mongoose.disconnect();
