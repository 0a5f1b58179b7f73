import type { Document } from 'mongodb';
import { messageBody } from './body.js';
import { ID_KIND, IdFactory } from './ids.js';
import { createRng, type Rng } from './prng.js';
import { createTopic, heavyUserId, userId, type Topic } from './topics.js';
import type { DatasetParams } from '../../results/seed.js';
import type { CollectionName, MsgDoc, ReadCursorDoc, ReadMsgDoc, TopicDoc, UserDoc } from '../../core/webim/schema.js';
import { DatasetTally } from './tally.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** People open topics in office hours; messages (customers in other time zones) arrive around the clock. */
const OPEN_FROM_H = 7;
const OPEN_TO_H = 19;

export interface DatasetSpec {
  params: DatasetParams;
  seed: number;
  /** The end of the generated history. */
  anchor: Date;
  windowStart: Date;
  batchSize: number;
}

export { heavyUserId } from './topics.js';

export interface GeneratedBatch {
  collection: CollectionName;
  docs: Document[];
}

/**
 * Simulates the WebIM day by day and yields documents in batches, so memory holds only the
 * active topics and one batch per collection. With `emit: false` it only counts (same random
 * sequence: bodies draw from their own generator), which gives the exact total for progress.
 */
export class Simulation {
  readonly tally: DatasetTally;
  private readonly rng: Rng;
  private readonly bodyRng: Rng;
  private readonly ids: IdFactory;
  private readonly start: number;
  private readonly users: string[];
  private readonly buffers = new Map<CollectionName, Document[]>();
  private topicCount = 0;

  private readonly spec: DatasetSpec;
  private readonly emit: boolean;

  constructor(spec: DatasetSpec, emit = true) {
    this.spec = spec;
    this.emit = emit;
    this.rng = createRng(spec.seed);
    this.bodyRng = createRng(spec.seed ^ 0x5eed);
    this.ids = new IdFactory(spec.seed);
    this.start = spec.anchor.getTime() - spec.params.days * DAY_MS;
    this.users = Array.from({ length: spec.params.users }, (_, index) => userId(index));
    this.tally = new DatasetTally(heavyUserId(), spec.windowStart);
  }

  *run(): Generator<GeneratedBatch> {
    const { params } = this.spec;
    for (const [index, id] of this.users.entries()) {
      this.push('users', () => ({ _id: id, name: `User ${index + 1}`, createdAt: new Date(this.start) }) satisfies UserDoc);
    }
    const slots: (Topic | undefined)[] = new Array(Math.max(1, Math.round(params.msgsPerDay / params.topicMsgsPerDay))).fill(undefined);
    for (let day = 0; day < params.days; day++) {
      const dayStart = this.start + day * DAY_MS;
      for (let slot = 0; slot < slots.length; slot++) {
        const current = slots[slot];
        if (current && current.endDay < day) {
          // The final open: everyone reads the finished topic once more, after its last message.
          for (const user of current.participants) this.open(current, user, this.openTime(dayStart));
          this.close(current);
        }
        if (!current || current.endDay < day)
          slots[slot] = createTopic({ rng: this.rng, params, users: this.users, day, start: this.start, slots, number: ++this.topicCount });
      }
      const arrivals = slots.map(() => [] as number[]);
      const sent = this.stochasticRound(params.msgsPerDay);
      for (let i = 0; i < sent; i++) arrivals[this.rng.int(0, slots.length - 1)]!.push(dayStart + this.rng.next() * DAY_MS);
      if (day === params.days - 1) this.lateMessageForHeavy(slots, arrivals, dayStart);
      for (let slot = 0; slot < slots.length; slot++) {
        this.simulateDay(slots[slot]!, arrivals[slot]!, dayStart);
        yield* this.drain(false);
      }
    }
    for (const topic of slots) if (topic) this.close(topic, true);
    yield* this.drain(true);
  }

  /** One more message at 23:30 on the last day in one of the heavy user's topics, after every open. */
  private lateMessageForHeavy(slots: (Topic | undefined)[], arrivals: number[][], dayStart: number): void {
    const slot = slots.findIndex((topic) => topic?.participants.includes(heavyUserId()));
    if (slot >= 0) arrivals[slot]!.push(dayStart + 23.5 * HOUR_MS);
  }

  private simulateDay(topic: Topic, arrivals: number[], dayStart: number): void {
    const { params } = this.spec;
    const opens: { at: number; user: string }[] = [];
    for (const user of topic.participants) {
      const perDay = this.stochasticRound(user === heavyUserId() ? params.heavyOpensPerDay : params.opensPerDay);
      for (let i = 0; i < perDay; i++) opens.push({ at: this.openTime(dayStart), user });
    }
    arrivals.sort((a, b) => a - b);
    opens.sort((a, b) => a.at - b.at);
    let next = 0;
    for (const open of opens) {
      while (next < arrivals.length && arrivals[next]! <= open.at) this.send(topic, arrivals[next++]!);
      this.open(topic, open.user, open.at);
    }
    while (next < arrivals.length) this.send(topic, arrivals[next++]!);
  }

  private send(topic: Topic, at: number): void {
    const sentAt = new Date(at);
    // The heavy user mostly reads: they send half as often as the others in a topic.
    const weights = topic.participants.map((user) => (user === heavyUserId() ? 0.5 : 1));
    let pick = this.rng.next() * weights.reduce((sum, weight) => sum + weight, 0);
    let index = 0;
    while (index < weights.length - 1 && (pick -= weights[index]!) >= 0) index++;
    const sender = topic.participants[index]!;
    const receivers = topic.participants.filter((user) => user !== sender);
    const seq = topic.senders.length + 1;
    topic.senders.push(sender);
    for (const receiver of receivers) this.tally.user(receiver).receivedMsgs++;
    if (!this.emit) return void this.tally.documents.msgs++;
    const _id = this.ids.next(ID_KIND.msg, sentAt);
    topic.msgIds.push(_id);
    this.push('msgs', () => ({ _id, topicId: topic.id, seq, sender, receivers, sentAt, body: messageBody(this.bodyRng) }) satisfies MsgDoc);
  }

  /** Opening a topic re-inserts a receipt for every message so far, read before or not (the original UI). */
  private open(topic: Topic, user: string, at: number): void {
    const count = topic.senders.length;
    const cursor = topic.cursors.get(user)!;
    if (count === 0) return;
    const readDateTime = new Date(at);
    cursor.lastReadSeq = count;
    cursor.updatedAt = readDateTime;
    const tally = this.tally.user(user);
    tally.receipts += count;
    if (at > this.spec.windowStart.getTime()) tally.receiptsInWindow += count;
    if (!this.emit) {
      this.tally.documents.readMsgs += count;
      return;
    }
    this.tally.documents.readMsgs += count;
    const buffer = this.buffer('readMsgs');
    for (let i = 0; i < count; i++) {
      const receipt: ReadMsgDoc = { _id: this.ids.next(ID_KIND.receipt, readDateTime), userId: user, msgId: topic.msgIds[i]!, topicId: topic.id, readDateTime };
      buffer.push(receipt);
    }
  }

  private close(topic: Topic, stillActive = false): void {
    this.push(
      'topics',
      () =>
        ({ _id: topic.id, title: topic.title, participants: topic.participants, createdAt: topic.createdAt, lastSeq: topic.senders.length }) satisfies TopicDoc,
    );
    for (const [user, cursor] of topic.cursors) {
      const tally = this.tally.user(user);
      // Receipts cover a prefix, so the distinct messages read in the window are those of the last open in it.
      if (cursor.updatedAt.getTime() > this.spec.windowStart.getTime()) tally.distinctMsgsInWindow += cursor.lastReadSeq;
      if (stillActive) {
        for (let seq = cursor.lastReadSeq + 1; seq <= topic.senders.length; seq++) if (topic.senders[seq - 1] !== user) tally.unreadMsgs++;
      }
      this.push(
        'readCursors',
        () => ({ _id: this.ids.next(ID_KIND.cursor, cursor.updatedAt), userId: user, topicId: topic.id, ...cursor }) satisfies ReadCursorDoc,
      );
    }
  }

  private push(collection: CollectionName, build: () => Document): void {
    this.tally.documents[collection]++;
    if (this.emit) this.buffer(collection).push(build());
  }

  private buffer(collection: CollectionName): Document[] {
    let buffer = this.buffers.get(collection);
    if (!buffer) this.buffers.set(collection, (buffer = []));
    return buffer;
  }

  private *drain(all: boolean): Generator<GeneratedBatch> {
    const size = this.spec.batchSize;
    for (const [collection, docs] of this.buffers) {
      let start = 0;
      for (; docs.length - start >= size; start += size) yield { collection, docs: docs.slice(start, start + size) };
      if (all && start < docs.length) {
        yield { collection, docs: docs.slice(start) };
        start = docs.length;
      }
      if (start > 0) this.buffers.set(collection, docs.slice(start));
    }
  }

  private openTime(dayStart: number): number {
    return dayStart + (OPEN_FROM_H + this.rng.next() * (OPEN_TO_H - OPEN_FROM_H)) * HOUR_MS;
  }

  private stochasticRound(value: number): number {
    const whole = Math.floor(value);
    return whole + (this.rng.chance(value - whole) ? 1 : 0);
  }
}
