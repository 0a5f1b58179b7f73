import type { EvidenceLine, ExternalKill, GcEvent, JsFrame } from '../../results/doctor.js';
import { parseGcLines } from './gc-lines.js';
import type { InputLine } from './input.js';
import { maskLine } from './secrets.js';

/** What the lines of a log say about the last crash in it. */
export interface LogFacts {
  fatal: EvidenceLine | null;
  /** Crashes (fatal errors) in the whole log; the diagnosis reads the last. */
  crashes: number;
  gc: GcEvent[];
  frames: JsFrame[];
  native: Array<{ symbol: string; evidence: EvidenceLine }>;
  snapshot: { path: string; evidence: EvidenceLine } | null;
  reportFile: { path: string; evidence: EvidenceLine } | null;
  cap: { mb: number; evidence: EvidenceLine } | null;
  kill: ExternalKill | null;
}

const FATAL = /FATAL ERROR: (.*)$|Fatal (?:JavaScript|process) out of memory: ?(.*)$/;
const GC_HEADER = /<--- Last few GCs --->/;
const JS_HEADER = /==== JS stack trace =+|<--- JS stacktrace --->/;
const FRAME = /^\s*(\d+): (.+?)\s*(?:\[0x[0-9a-f]+\]\s*)?(?:\[([^\]]*)\]|$)/;
const NATIVE_FRAME = /^\s*\d+: 0x[0-9a-f]+ (.*?)\s*\[[^\]]*\]\s*$/;
const CAP = /--max[-_]old[-_]space[-_]size[= ](\d+)/;

/**
 * Reads the crash block around the last fatal error: the GC lines before it, old-format JS frames
 * after `==== JS stack trace ====`, native frames, the snapshot and report Node wrote. Lines arrive
 * with logger prefixes removed; evidence quotes them with heap strings masked unless `showSecrets`.
 */
export function readCrashLog(lines: readonly InputLine[], showSecrets: boolean): LogFacts {
  const evidence = (line: InputLine, text = line.text): EvidenceLine => ({ line: line.line, text: clip(showSecrets ? text.trim() : maskLine(text.trim())) });
  const fatalIndexes = lines.flatMap((line, index) => (FATAL.test(line.text) ? [index] : []));
  const lastFatal = fatalIndexes.at(-1);
  // The block starts at the "Last few GCs" header just before the last fatal error (Node 8 and later
  // print it first; Node 4 and 6 print the fatal line first), with the snapshot line just before it.
  const headers = lines.flatMap((line, index) => (GC_HEADER.test(line.text) ? [index] : []));
  const near = lastFatal === undefined ? undefined : headers.filter((index) => index <= lastFatal && lastFatal - index <= 60).at(0);
  const start = lastFatal === undefined ? (headers.at(-1) ?? lines.length) : (near ?? lastFatal);
  const block = lines.slice(Math.max(0, start - 5), start + 400);
  const fatalLine = lastFatal === undefined ? null : lines[lastFatal]!;
  const snapshotLine = block.find((line) => /Wrote snapshot to \S+/.test(line.text));
  const reportLine = block.find((line) => /Writing Node\.js report to file: \S+/.test(line.text));
  const capLine = [...lines].reverse().find((line) => CAP.test(line.text));
  return {
    fatal: fatalLine ? evidence(fatalLine) : null,
    crashes: fatalIndexes.length,
    gc: parseGcLines(block, evidence),
    frames: jsFrames(block, evidence, showSecrets),
    native: block.flatMap((line) => {
      const match = NATIVE_FRAME.exec(line.text);
      return match?.[1] ? [{ symbol: match[1], evidence: evidence(line) }] : [];
    }),
    snapshot: snapshotLine ? { path: /Wrote snapshot to (\S+)/.exec(snapshotLine.text)![1]!, evidence: evidence(snapshotLine) } : null,
    reportFile: reportLine ? { path: /report to file: (\S+)/.exec(reportLine.text)![1]!, evidence: evidence(reportLine) } : null,
    // The cap flag alone is quoted: the rest of a command line may hold credentials.
    cap: capLine
      ? { mb: Number(CAP.exec(capLine.text)![1]), evidence: { line: capLine.line, text: `--max-old-space-size=${CAP.exec(capLine.text)![1]}` } }
      : null,
    kill: externalKill(lines, evidence),
  };
}

/** Frames of the old format's `==== JS stack trace ====` block, up to the first blank line after them. */
function jsFrames(block: readonly InputLine[], evidence: (line: InputLine, text?: string) => EvidenceLine, showSecrets: boolean): JsFrame[] {
  const header = block.findIndex((line) => JS_HEADER.test(line.text));
  if (header < 0) return [];
  const frames: JsFrame[] = [];
  for (const line of block.slice(header + 1, header + 80)) {
    if (/^\s*Security context/.test(line.text) || JS_HEADER.test(line.text) || (line.text.trim() === '' && frames.length === 0)) continue;
    if (/Native stack trace|FATAL ERROR|^\s*\d+: 0x[0-9a-f]+ /.test(line.text)) break;
    const match = FRAME.exec(line.text);
    if (!match) break;
    const [, index, rawName, location] = match;
    const where = location !== undefined && !/^pc[:=]/.test(location) ? /^(.*?)(?::~?(\d+))?$/.exec(location) : null;
    // Only the frame itself is quoted: the arguments after it may be heap strings.
    const quoted = showSecrets ? line.text : line.text.replace(/\s*\[pc=.*$/, '').replace(/\s*\(this=.*$/, '');
    frames.push({
      index: Number(index),
      functionName: rawName!.replace(/\(aka .*\)$/, '').trim(),
      file: where?.[1] ?? null,
      line: where?.[2] !== undefined ? Number(where[2]) : null,
      evidence: evidence(line, quoted),
    });
  }
  return frames;
}

const KERNEL = /(?:Out of memory|Memory cgroup out of memory): Kill(?:ed)? process (\d+) \(([^)]*)\)(?:.*?anon-rss:(\d+)kB)?/;
const CONTAINER = /(?:Reason:\s*OOMKilled|"reason"\s*:\s*"OOMKilled"|\bOOMKilled\b)/;
const EXIT_137 = /Exit ?Code:\s*137|"exitCode"\s*:\s*137|exit(?:ed)?(?: with)?(?: code|, code)?[ =:]+137\b|code=killed, status=9\/KILL|signal(?:=| )SIGKILL/i;

/** Evidence of a kill from outside V8: the kernel's OOM killer, a container's OOMKilled state, exit 137. */
function externalKill(lines: readonly InputLine[], quote: (line: InputLine) => EvidenceLine): ExternalKill | null {
  const evidence = (line: InputLine): EvidenceLine => quote(line);
  const kernel = lines.filter((line) => KERNEL.test(line.text));
  const container = lines.filter((line) => CONTAINER.test(line.text));
  const exit = lines.filter((line) => EXIT_137.test(line.text));
  if (kernel.length > 0) {
    const match = KERNEL.exec(kernel.at(-1)!.text)!;
    return { by: 'kernel', pid: Number(match[1]), rssKB: match[3] ? Number(match[3]) : null, evidence: [...kernel.slice(-2), ...exit.slice(-1)].map(evidence) };
  }
  if (container.length > 0) return { by: 'container', pid: null, rssKB: null, evidence: [...container.slice(-1), ...exit.slice(-1)].map(evidence) };
  if (exit.length > 0) return { by: 'exit-137', pid: null, rssKB: null, evidence: exit.slice(-1).map(evidence) };
  return null;
}

function clip(text: string): string {
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
