import type { ObjectId } from 'mongodb';
import { COLLECTIONS } from '../../../core/webim/schema.js';
import { measureFalsePositiveRate, ScalableBloomFilter } from '../bloom-scalable.js';
import { findReceiptsInWindow, findReceivedInWindow, ID_ONLY, MSG_ID_ONLY, receiptsInWindowFilter, receivedInWindowFilter } from '../queries.js';
import type { UnreadStrategy } from './types.js';

/**
 * The post-mortem's last idea: stream the receipts into a Bloom filter (memory bounded by the
 * filter, not by the receipts), then stream the messages and keep those the filter has never
 * seen. A false positive hides an unread message; there are no false negatives. The filter starts
 * sized for the messages received in the window and grows (a scalable Bloom filter): the receipts
 * in the window also name older messages, more distinct ids than that. Its real false-positive
 * rate is measured once, on the unmeasured accounting run, over 100,000 fresh ObjectIds.
 *
 * Streaming bounds memory only with a batch size: by default a getMore returns up to 16 MB, and
 * 16 MB of `{msgId}` documents is ~400,000 of them, deserialised into the cursor's buffer at once.
 */
const STREAM_BATCH = 1000;
export const bloom: UnreadStrategy = {
  name: 'bloom',
  description: 'window, receipts streamed into a Bloom filter, messages tested against it',
  stage: 'Closing thought: Bloom filter',
  exact: false,
  queries: (p) => [
    { collection: COLLECTIONS.msgs, operation: 'count', filter: receivedInWindowFilter(p) },
    findReceiptsInWindow(p, MSG_ID_ONLY),
    findReceivedInWindow(p, ID_ONLY),
  ],
  async run(ctx) {
    const msgs = ctx.db.collection(COLLECTIONS.msgs);
    const expected = await msgs.countDocuments(receivedInWindowFilter(ctx));
    const filter = new ScalableBloomFilter(expected, ctx.bloomFalsePositiveRate);
    for await (const receipt of ctx.db
      .collection(COLLECTIONS.readMsgs)
      .find<{ msgId: ObjectId }>(receiptsInWindowFilter(ctx), { projection: MSG_ID_ONLY, batchSize: STREAM_BATCH })) {
      filter.add(receipt.msgId.id);
      ctx.probe.docs(1);
    }
    const unread: string[] = [];
    for await (const message of msgs.find<{ _id: ObjectId }>(receivedInWindowFilter(ctx), { projection: ID_ONLY, batchSize: STREAM_BATCH })) {
      if (!filter.mightContain(message._id.id)) unread.push(message._id.toHexString());
      ctx.probe.docs(1);
    }
    await ctx.atPeak();
    // Not on a timed run: 100,000 probes would be counted as the strategy's latency.
    const falsePositiveTest = ctx.accounting ? measureFalsePositiveRate(filter) : (ctx.details.bloom?.falsePositiveTest ?? null);
    ctx.details.bloom = {
      bits: filter.bits,
      hashes: filter.hashes[0]!,
      hashesPerStage: filter.hashes,
      stages: filter.stageCount,
      sizeBytes: filter.sizeBytes,
      expectedItems: filter.initialCapacity,
      itemsAdded: filter.itemsAdded,
      distinctItems: filter.distinctItems,
      configuredFalsePositiveRate: filter.falsePositiveRate,
      falsePositiveTest,
    };
    return unread;
  },
};
