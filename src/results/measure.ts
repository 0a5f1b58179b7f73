/**
 * Result types shared by the commands that measure in a child process (compare-unread, query):
 * how latency is summarised and how a child's death is reported.
 */
export interface LatencySummary {
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Every measured run, in order. */
  samplesMs: number[];
}

export interface DeathReport {
  /** e.g. "OOM after ~412,000 documents, heap 29 MB at death". */
  summary: string;
  exitCode: number | null;
  signal: string | null;
  /** Documents received before death, from the child's last progress line. */
  docsBeforeDeath: number | null;
  /** heapUsed at the last progress line, or V8's last GC line when it printed one. */
  heapAtDeathBytes: number | null;
  /** The last lines the child wrote to stderr (V8's fatal error, for example). */
  stderrTail: string[];
}
