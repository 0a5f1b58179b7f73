import type { ObjectId } from 'mongodb';
import type { Rng } from './prng.js';
import type { DatasetParams } from '../../results/seed.js';

const DAY_MS = 86_400_000;

/** A topic while it is simulated: its messages' ids and senders, and each participant's read position. */
export interface Topic {
  id: string;
  title: string;
  participants: string[];
  createdAt: Date;
  /** Last day (index) on which it receives messages. */
  endDay: number;
  msgIds: ObjectId[];
  senders: string[];
  cursors: Map<string, { lastReadSeq: number; updatedAt: Date }>;
}

export function userId(index: number): string {
  return `user-${String(index + 1).padStart(3, '0')}`;
}

/** The user of the post-mortem with 1M+ receipts. */
export function heavyUserId(): string {
  return userId(0);
}

export interface NewTopic {
  rng: Rng;
  params: DatasetParams;
  users: readonly string[];
  day: number;
  /** Start of the history (ms). */
  start: number;
  /** The topics active now (some may end today). */
  slots: readonly (Topic | undefined)[];
  number: number;
}

export function createTopic({ rng, params, users, day, start, slots, number }: NewTopic): Topic {
  const heavy = heavyUserId();
  const size = rng.int(params.participantsMin, params.participantsMax);
  // The heavy user always has at least one active topic, so they always have something unread at the end.
  const heavyActive = slots.some((topic) => topic && topic.endDay >= day && topic.participants.includes(heavy));
  const participants = rng.chance(params.heavyShare) || !heavyActive ? [heavy] : [];
  while (participants.length < size) {
    const candidate = users[rng.int(1, users.length - 1)]!;
    if (!participants.includes(candidate)) participants.push(candidate);
  }
  const life = rng.int(params.topicDaysMin, params.topicDaysMax);
  // Topics open at day 0 are already under way: stagger their ends.
  const endDay = day === 0 ? rng.int(0, life - 1) : day + life - 1;
  const createdAt = new Date(start + day * DAY_MS);
  return {
    id: `topic-${String(number).padStart(5, '0')}`,
    title: `Order ${10_000 + number} · ${rng.pick(['Sydney', 'Melbourne', 'Brisbane', 'Perth', 'Adelaide'])}`,
    participants,
    createdAt,
    endDay,
    msgIds: [],
    senders: [],
    cursors: new Map(participants.map((user) => [user, { lastReadSeq: 0, updatedAt: createdAt }])),
  };
}
