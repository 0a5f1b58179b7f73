import type { IndexDescription, ObjectId } from 'mongodb';
import type { CollectionName } from '../../results/seed.js';

/**
 * The WebIM data model of the WebIM post-mortem: msgs and readMsgs as the original
 * system had them, plus readCursors, the per-(user, topic) read position it proposes.
 *
 * Invariants the generator keeps (and compare-unread relies on):
 * - a user's receipts in one topic always cover a prefix of that topic's sequence: opening a
 *   topic marks every message sent so far as read (and, as the original UI did, re-inserts a
 *   receipt for every one of them, already read or not);
 * - readCursors[user, topic].lastReadSeq is the highest seq the user has a receipt for there,
 *   so "seq > lastReadSeq and user in receivers" is exactly "received and no receipt";
 * - every unread message was sent inside the default six-month window, so the windowed
 *   strategies and the naive one return the same set.
 */
export const COLLECTIONS = {
  users: 'users',
  topics: 'topics',
  msgs: 'msgs',
  readMsgs: 'readMsgs',
  readCursors: 'readCursors',
} as const satisfies Record<string, CollectionName>;

export type { CollectionName } from '../../results/seed.js';

/** The collections compare-unread needs; a database without them holds no WebIM data. */
export const WEBIM_COLLECTIONS: readonly CollectionName[] = [COLLECTIONS.msgs, COLLECTIONS.readMsgs, COLLECTIONS.readCursors];

export interface UserDoc {
  _id: string;
  name: string;
  createdAt: Date;
}

export interface TopicDoc {
  _id: string;
  title: string;
  participants: string[];
  createdAt: Date;
  /** Sequence number of the topic's last message. */
  lastSeq: number;
}

export interface MsgDoc {
  _id: ObjectId;
  topicId: string;
  /** 1-based, per topic, in sending order. */
  seq: number;
  sender: string;
  /** Every participant but the sender. */
  receivers: string[];
  sentAt: Date;
  body: string;
}

/** One receipt per (user, message, read time): duplicates included, as the original UI wrote them. */
export interface ReadMsgDoc {
  _id: ObjectId;
  userId: string;
  msgId: ObjectId;
  topicId: string;
  readDateTime: Date;
}

export interface ReadCursorDoc {
  _id: ObjectId;
  userId: string;
  topicId: string;
  lastReadSeq: number;
  updatedAt: Date;
}

/** The indexes a team would have had in production, plus the ones the fixes need. */
export const INDEXES: Record<CollectionName, IndexDescription[]> = {
  users: [],
  topics: [{ key: { participants: 1 }, name: 'participants_1' }],
  msgs: [
    { key: { receivers: 1 }, name: 'receivers_1' },
    { key: { topicId: 1, seq: 1 }, name: 'topicId_1_seq_1', unique: true },
  ],
  readMsgs: [{ key: { userId: 1, readDateTime: 1 }, name: 'userId_1_readDateTime_1' }],
  readCursors: [{ key: { userId: 1, topicId: 1 }, name: 'userId_1_topicId_1', unique: true }],
};
