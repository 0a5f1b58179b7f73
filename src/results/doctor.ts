import type { BaseResult } from '../lib/result.js';

/** A line of the input a conclusion rests on: its number (1-based) and its text, logger prefixes and secrets removed. */
export interface EvidenceLine {
  /** null for a field of a JSON document (the text names the field). */
  line: number | null;
  text: string;
}

/** What the input shows happened to the process. */
export type DoctorOutcome =
  /** V8's own fatal out-of-memory error (SIGABRT, exit 134): the JavaScript heap reached its limit. */
  | 'v8-oom'
  /** Killed from outside (SIGKILL, exit 137): the kernel's or a container runtime's memory limit. */
  | 'external-kill'
  /** Neither: the log stops, or holds no crash at all. */
  | 'no-evidence';

/** One line of V8's "Last few GCs" block. Sizes in MB as V8 prints them (MiB). */
export interface GcEvent {
  /** Scavenge, Mark-Compact, Mark-sweep, Minor Mark-Sweep… */
  kind: string;
  /** A full collection (Mark-Compact, Mark-sweep), not a young-generation one. */
  full: boolean;
  /** `(reduce)`: V8 collected to shrink the heap, the memory-reducing last tries. */
  reduce: boolean;
  timeMs: number;
  beforeMB: number;
  afterMB: number;
  /** The heap's committed size after, the figure in parentheses. */
  committedAfterMB: number;
  pauseMs: number | null;
  averageMu: number | null;
  currentMu: number | null;
  /** V8's reason (`allocation failure`, `last resort gc`…), null when the line was cut before it. */
  reason: string | null;
  /** The crash cut the line: fields after the sizes may be missing. */
  cut: boolean;
  evidence: EvidenceLine;
}

/** A JavaScript frame of an old-format fatal error (`==== JS stack trace ====`). */
export interface JsFrame {
  index: number;
  functionName: string;
  /** The script, as V8 printed it (`/app/node_modules/mongoose/lib/document.js`, `native array.js`). */
  file: string | null;
  line: number | null;
  evidence: EvidenceLine;
}

/** Who the evidence points at: a frame, a native frame or a snapshot class matched against what imdiag knows. */
export interface KnownCulprit {
  /** `mongoose-document`, `mongoose-query`, `driver-cursor`, `bson`, `ws-send-queue`, `socketio-send-queue`, `json`, `buffer-concat`. */
  id: string;
  label: string;
  /** What that usually means, one sentence. */
  meaning: string;
}

export interface SnapshotClass {
  className: string;
  count: number;
  retainedSizeBytes: number;
}

export interface SnapshotEvidence {
  path: string;
  /** How the file was found: named by the log (`Wrote snapshot to …`) or given with --snapshot. */
  foundBy: 'log' | 'flag';
  status: 'analysed' | 'missing' | 'skipped' | 'unreadable';
  /** Why not analysed, one line. */
  reason: string | null;
  totalSizeBytes: number | null;
  classes: SnapshotClass[];
  /** The first class that is not one of V8's or JavaScript's own (Array, Object, (string)…). */
  topOwnClass: string | null;
  /** What holds the largest object, object first (retainer path, as `imdiag heap` prints it). */
  largestRetainers: string | null;
}

/** Whose code or objects: from JS frames, native frames or the near-limit snapshot; or nothing. */
export interface Blame {
  source: 'frames' | 'native-frames' | 'snapshot' | 'none';
  userFrame: JsFrame | null;
  libraryFrame: JsFrame | null;
  culprit: KnownCulprit | null;
  text: string;
  evidence: EvidenceLine[];
}

export interface HeapSpace {
  name: string;
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
}

/** What Node's diagnostic report (`--report-on-fatalerror`) holds that the diagnosis uses. Environment variables are never copied. */
export interface DiagnosticReportFacts {
  nodeVersion: string | null;
  trigger: string | null;
  /** The recorded command line; arguments that may hold credentials masked unless --show-secrets. */
  commandLine: string[];
  memoryLimitBytes: number | null;
  usedBytes: number | null;
  spaces: HeapSpace[];
  rssBytes: number | null;
  /** `javascriptStack.message` ("No stack." for a fatal out-of-memory on Node 20 to 26). */
  jsStack: string | null;
}

export interface HeapLimit {
  /** null: unknown, no evidence. */
  limitMB: number | null;
  /**
   * `cap`: --max-old-space-size on the recorded command line, NODE_OPTIONS or the log; `report`: the
   * report's memoryLimit less the young generation; `unknown`: neither (the summary then gives the
   * committed heap where V8 gave up, the nearest figure the input has).
   */
  source: 'cap' | 'report' | 'unknown';
  /** The heap at death: the last GC line's size after, else the report's used heap. */
  usedMB: number | null;
  /** A few words: `1,396.6 MB of ~1.42 GB`, `36.5 MB against a 32 MB cap`. */
  summary: string;
  text: string;
  evidence: EvidenceLine[];
}

export interface ExternalKill {
  /** `container` (OOMKilled, Exit Code 137), `kernel` (dmesg "Killed process"), `exit-137` (a supervisor's line). */
  by: 'container' | 'kernel' | 'exit-137';
  pid: number | null;
  rssKB: number | null;
  evidence: EvidenceLine[];
}

/** One conclusion with the lines it came from. */
export interface DoctorFinding {
  topic: 'crash' | 'limit' | 'collections' | 'mutator' | 'space' | 'code' | 'kill' | 'stops' | 'secrets';
  text: string;
  evidence: EvidenceLine[];
}

export interface NextStep {
  command: string;
  why: string;
}

export interface DoctorResult extends BaseResult<'doctor'> {
  options: { input: string; snapshot: string | null; analyseSnapshot: boolean; showSecrets: boolean };
  input: {
    /** `text` (a log), `report` (Node's diagnostic report JSON). */
    format: 'text' | 'report';
    bytes: number;
    lines: number;
    /** Lines read out of a JSON wrapper (kubectl/docker `log`, journald `MESSAGE`). */
    unwrappedLines: number;
  };
  outcome: DoctorOutcome;
  fatal: EvidenceLine | null;
  gc: GcEvent[];
  frames: JsFrame[];
  limit: HeapLimit;
  report: DiagnosticReportFacts | null;
  snapshot: SnapshotEvidence | null;
  kill: ExternalKill | null;
  blame: Blame;
  findings: DoctorFinding[];
  next: NextStep[];
  /** Three lines: what happened, why, what to run. */
  verdict: string[];
}
