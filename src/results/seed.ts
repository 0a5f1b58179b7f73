import type { BaseResult } from '../lib/result.js';

/** The WebIM collections (src/core/webim/schema.ts names them). */
export type CollectionName = 'users' | 'topics' | 'msgs' | 'readMsgs' | 'readCursors';

/** What claiming the database found (src/lib/mongo/ownership.ts's claimDatabase returns the same values). */
export type ClaimOutcome = 'created' | 'existing' | 'recreated';

/**
 * What `imdiag seed` returns (and `--json` prints, and reports render). Stable: reports and
 * compare-unread read it; add fields, do not rename or remove them.
 */
export const PROFILE_NAMES = ['tiny', 'demo', 'article'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The knobs of the WebIM simulation, after profile × scale and flag overrides. */
export interface DatasetParams {
  users: number;
  /** Days of history, ending at the anchor. */
  days: number;
  /** Messages sent per day across all topics. */
  msgsPerDay: number;
  /** Average messages per day in one active topic; the number of active topics follows. */
  topicMsgsPerDay: number;
  /** A topic lives (receives messages) between these many days: a 2–3 week shipment cycle. */
  topicDaysMin: number;
  topicDaysMax: number;
  /** Participants per topic (inclusive range). */
  participantsMin: number;
  participantsMax: number;
  /** Probability the heavy user is a participant of a new topic. */
  heavyShare: number;
  /** How often the heavy user opens each of their active topics per day (each open re-inserts receipts). */
  heavyOpensPerDay: number;
  /** The same for every other user. */
  opensPerDay: number;
}

export interface CollectionSummary {
  name: CollectionName;
  documents: number;
  /** Uncompressed BSON size of the documents; null when the server reports no sizes. */
  dataSizeBytes: number | null;
  storageSizeBytes: number | null;
  indexSizeBytes: number | null;
  indexes: number;
}

export type SizeSource = '$collStats' | 'collStats' | 'unavailable';

/** A user's figures laid out like the post-mortem's (the WebIM post-mortem). */
export interface UserFigures {
  userId: string;
  /** msgs whose receivers contain the user ("满足条件的msgs"). */
  receivedMsgs: number;
  /** readMsgs of the user, duplicates included. */
  receipts: number;
  /** Receipts with readDateTime after the window start (the six-month fix). */
  receiptsInWindow: number;
  /** Distinct msgId among those (what `distinct` returns). */
  distinctMsgsInWindow: number;
  /** receiptsInWindow / distinctMsgsInWindow (the post-mortem: 440k / 4k ≈ 110, "10000%"). */
  duplicationFactor: number;
  /** Received messages without a receipt: what getUnreadMsgs returns. */
  unreadMsgs: number;
}

export interface SeedResult extends BaseResult<'seed'> {
  database: {
    name: string;
    /** created: new database; existing: an empty imdiag database; recreated: --drop. */
    claim: ClaimOutcome;
  };
  dataset: {
    profile: ProfileName;
    scale: number;
    seed: number;
    /** ISO time the generated history ends at (default: start of the seeding day, UTC). */
    anchor: string;
    /** ISO start of the six-month window before the anchor that the figures use. */
    windowStart: string;
    windowMonths: number;
    params: DatasetParams;
    heavyUserId: string;
  };
  collections: CollectionSummary[];
  sizeSource: SizeSource;
  /** dbStats totals; null when the server lacks dbStats. */
  databaseSize: { dataSizeBytes: number; storageSizeBytes: number; indexSizeBytes: number } | null;
  heavyUser: UserFigures;
  /** The other user with the most received messages, and the most receipts (post-mortem: less than half the heavy user). */
  busiestOther: { byReceivedMsgs: UserFigures | null; byReceipts: UserFigures | null };
  /** readMsgs / msgs (post-mortem: about two orders of magnitude). */
  receiptsPerMsg: number;
  load: {
    documents: number;
    batchSize: number;
    /** Generation and unordered bulk inserts, overlapped. */
    loadMs: number;
    docsPerSecond: number;
    indexMs: number;
    totalMs: number;
    /** Peak heap and RSS of the seeding process, sampled during the load. */
    peakHeapUsedBytes: number;
    peakRssBytes: number;
    /** False when a signal (Ctrl-C, SIGTERM, SIGHUP) stopped the load early. */
    complete: boolean;
  };
  /**
   * The embedded mongod's stop and the check that the data is on disk; absent with --uri (and in
   * results saved before it existed). `problem` is also in `problems`.
   */
  embeddedServer?: {
    exitCode: number | null;
    signal: string | null;
    /** Exit code 0 after imdiag asked it to stop. */
    clean: boolean;
    /** Restarted on the same data directory and found the dataset seed recorded. */
    verifiedOnRestart: boolean;
    problem: string | null;
  };
}
