/**
 * What a crash log or a diagnostic report may hold that must not leave the machine unless asked
 * (--show-secrets): credentials in URIs, heap strings old V8 quotes in frame arguments
 * (`<String[28]: /report#token=…>`), flag values and arguments of the recorded command line.
 */
export const MASK = '‹redacted›';

const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
// V8's printed heap strings: <String[4]: save>, <String[28]\: …>, <Internalized String[3]: abc>.
const HEAP_STRING = /<((?:Internalized |Cons |Sliced |Thin )?String\[\d+\])\\?: [^>]*>/g;
const SECRET_WORD = /pass(?:word)?|passwd|secret|token|api[-_]?key|auth|credential|private|session|cookie/i;

/** A log line as evidence: heap strings and URI credentials masked. */
export function maskLine(text: string): string {
  return text.replace(HEAP_STRING, `<$1: ${MASK}>`).replace(URI_CREDENTIALS, `$1${MASK}@`);
}

/** Node and V8 flags that say how memory was set up: shown with their values. */
const SAFE_FLAG =
  /^--(?:max-old-space-size|max-semi-space-size|max-heap-size|heapsnapshot-near-heap-limit|report-on-fatalerror|report-uncaught-exception|report-on-signal|report-compact|report-directory|report-filename|expose-gc|trace-gc|heap-prof|inspect(?:-brk|-port)?|optimize-for-size|stack-size|enable-source-maps|experimental-[\w-]+|no-[\w-]+)(?:=|$)/;

/**
 * The recorded command line with anything that may be a credential masked: the executable, script
 * paths and memory-related flags stay; other flag values, arguments after a secret-looking flag and
 * URI credentials go.
 */
export function maskCommandLine(argv: readonly string[]): string[] {
  return argv.map((arg, index) => {
    if (index === 0) return arg;
    if (SAFE_FLAG.test(arg)) return arg;
    const previous = argv[index - 1] ?? '';
    if (previous.startsWith('-') && !previous.includes('=') && SECRET_WORD.test(previous)) return MASK;
    if (/^-[-\w]+=/.test(arg)) return `${arg.slice(0, arg.indexOf('=') + 1)}${MASK}`;
    if (/^[^=\s]+\.(?:[cm]?js|ts|mts|cts)$/.test(arg) || /^-[-\w]+$/.test(arg)) return arg;
    return MASK;
  });
}

/** `--max-old-space-size` (MB) from a command line or NODE_OPTIONS, the last one winning as in Node. */
export function capFromArgs(args: readonly string[]): { mb: number; text: string } | null {
  let found: { mb: number; text: string } | null = null;
  args.forEach((arg, index) => {
    const joined = /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(arg);
    const separate = /^--max[-_]old[-_]space[-_]size$/.test(arg) ? /^(\d+)$/.exec(args[index + 1] ?? '') : null;
    const value = joined?.[1] ?? separate?.[1];
    if (value !== undefined) found = { mb: Number(value), text: `--max-old-space-size=${value}` };
  });
  return found;
}
