import type { CollectionName } from '../../core/webim/schema.js';
import type { UserFigures } from '../../results/seed.js';

/** Per-user running counts, kept while generating: the post-mortem's figures without re-reading the data. */
export interface UserTally {
  receivedMsgs: number;
  receipts: number;
  receiptsInWindow: number;
  distinctMsgsInWindow: number;
  unreadMsgs: number;
}

export class DatasetTally {
  readonly documents: Record<CollectionName, number> = { users: 0, topics: 0, msgs: 0, readMsgs: 0, readCursors: 0 };
  readonly users = new Map<string, UserTally>();

  readonly heavyUserId: string;
  readonly windowStart: Date;

  constructor(heavyUserId: string, windowStart: Date) {
    this.heavyUserId = heavyUserId;
    this.windowStart = windowStart;
  }

  user(userId: string): UserTally {
    let tally = this.users.get(userId);
    if (!tally) {
      tally = { receivedMsgs: 0, receipts: 0, receiptsInWindow: 0, distinctMsgsInWindow: 0, unreadMsgs: 0 };
      this.users.set(userId, tally);
    }
    return tally;
  }

  get totalDocuments(): number {
    return Object.values(this.documents).reduce((sum, count) => sum + count, 0);
  }

  figures(userId: string): UserFigures {
    const tally = this.user(userId);
    return {
      userId,
      ...tally,
      duplicationFactor: tally.distinctMsgsInWindow > 0 ? round2(tally.receiptsInWindow / tally.distinctMsgsInWindow) : 0,
    };
  }

  /** The other user with the largest `key`, for the "others have less than half" check. */
  busiestOther(key: keyof UserTally): UserFigures | null {
    let best: string | undefined;
    for (const [userId, tally] of this.users) {
      if (userId === this.heavyUserId) continue;
      if (best === undefined || tally[key] > this.user(best)[key]) best = userId;
    }
    return best === undefined ? null : this.figures(best);
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
