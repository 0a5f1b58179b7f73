import type { StrategyName } from '../../results/compare-unread.js';

/** What compare-unread measures and how: the user's flags, validated (src/commands/compare-unread/options.ts). */
export interface CompareUnreadOptions {
  /** An id or 'heaviest'. */
  user: string;
  strategies: StrategyName[];
  runs: number;
  warmupRuns: number;
  /** Extra, unmeasured runs that stop at the peak point to read the live heap (3; 1 with --quick). */
  probeRuns: number;
  windowMonths: number;
  maxOldSpaceSizeMB: number | null;
  /** Directory for heap snapshots, or null for none. */
  heapdumpDir: string | null;
  quick: boolean;
  bloomFalsePositiveRate: number;
}
