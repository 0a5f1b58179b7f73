import type { DatasetParams, ProfileName } from '../../results/seed.js';

/**
 * Dataset profiles. `article` reproduces the WebIM post-mortem: two years of history,
 * two dozen users in 2–3 week topics, one heavy user who reopens their active topics about
 * thirteen times a day. Each open re-inserts a receipt for every message of the topic so far,
 * so a message collects ~13 × (half a topic's life ≈ 9 days) ≈ 110 receipts from that user:
 * the post-mortem's 440k receipts over 4k distinct messages in six months.
 *
 * About 100 messages a day, not "a few hundred": the post-mortem's other figures (a heavy user
 * with 10k+ received messages, everyone else at less than half of that, a dozen or two users)
 * cap the daily volume near 100 when topics have 2–3 participants.
 */
export const PROFILES: Record<ProfileName, DatasetParams> = {
  tiny: {
    users: 6,
    days: 30,
    msgsPerDay: 12,
    topicMsgsPerDay: 4,
    topicDaysMin: 5,
    topicDaysMax: 10,
    participantsMin: 2,
    participantsMax: 3,
    heavyShare: 0.5,
    heavyOpensPerDay: 6,
    opensPerDay: 2,
  },
  demo: {
    users: 16,
    days: 240,
    msgsPerDay: 40,
    topicMsgsPerDay: 6,
    topicDaysMin: 14,
    topicDaysMax: 21,
    participantsMin: 2,
    participantsMax: 3,
    heavyShare: 0.4,
    heavyOpensPerDay: 10,
    opensPerDay: 3,
  },
  article: {
    users: 24,
    days: 730,
    msgsPerDay: 100,
    topicMsgsPerDay: 6,
    topicDaysMin: 14,
    topicDaysMax: 21,
    participantsMin: 2,
    participantsMax: 3,
    heavyShare: 0.2,
    heavyOpensPerDay: 13,
    opensPerDay: 4,
  },
};

/** --scale multiplies the volume: messages a day, hence topics; per-topic behaviour (and the duplication factor) stays. */
export function scaleProfile(params: DatasetParams, scale: number): DatasetParams {
  return { ...params, msgsPerDay: params.msgsPerDay * scale };
}

/** The months the post-mortem's fix kept ("只取半年内的数据"); compare-unread's default window. */
export const WINDOW_MONTHS = 6;

/** `months` calendar months before `anchor`, in UTC. */
export function windowStart(anchor: Date, months: number = WINDOW_MONTHS): Date {
  const start = new Date(anchor.getTime());
  start.setUTCMonth(start.getUTCMonth() - months);
  return start;
}

/** The default anchor: the start of the current day in UTC, so a day's runs give identical data. */
export function startOfTodayUtc(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
