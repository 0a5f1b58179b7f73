/**
 * The recent window Spider kept in memory (up to 30 minutes of timing samples), bounded twice:
 * by age (windowMs) and by count (the newest chartPoints POSTs, what one chart shows), so that
 * memory held by the store itself levels off within seconds and any growth seen is the pushes'.
 */
/** Spider kept up to 30 minutes of samples; one push carries the newest CHART_POINTS POSTs of it. */
export const WINDOW_MS = 30 * 60_000;
export const CHART_POINTS = 100;

export interface StoredPost {
  /** Producer timestamp (parent's performance clock), carried through to the monitors. */
  sentAt: number;
  receivedAt: number;
  /** The POST body as received: a JSON object. */
  raw: string;
}

export class RecentWindow {
  private posts: StoredPost[] = [];
  private head = 0;
  private version = 0;
  private cachedVersion = -1;
  private cachedChart = '';

  private readonly windowMs: number;
  private readonly maxPosts: number;

  constructor(windowMs: number, maxPosts: number) {
    this.windowMs = windowMs;
    this.maxPosts = maxPosts;
  }

  add(post: StoredPost): void {
    this.posts.push(post);
    this.version += 1;
    this.evict(post.receivedAt);
  }

  get size(): number {
    return this.posts.length - this.head;
  }

  /**
   * The chart data as Spider pushed it: the recent window serialised to one JSON string. A new
   * string whenever data arrived since the last call, so each push after a POST is a fresh string.
   */
  chart(): string {
    if (this.cachedVersion === this.version) return this.cachedChart;
    const live = this.posts.slice(this.head);
    const newest = live.length > 0 ? live[live.length - 1]!.sentAt : 0;
    this.cachedChart = `{"newest":${newest},"points":[${live.map((post) => post.raw).join(',')}]}`;
    this.cachedVersion = this.version;
    return this.cachedChart;
  }

  private evict(now: number): void {
    while (this.size > this.maxPosts) this.head += 1;
    while (this.size > 0 && now - this.posts[this.head]!.receivedAt > this.windowMs) this.head += 1;
    // Compact now and then so the array does not keep every evicted entry.
    if (this.head > 1024 && this.head * 2 > this.posts.length) {
      this.posts = this.posts.slice(this.head);
      this.head = 0;
    }
  }
}
