/**
 * What loggers put around a line of a process's stderr, removed so the line reads as Node wrote it:
 * JSON wrappers (docker's json-file `{"log": …}` that `kubectl logs` reads on a node, journald's
 * `journalctl -o json` `MESSAGE`, common structured-logger `message`/`msg`), the CRI log format
 * (`2024-05-01T10:00:00.123456789Z stderr F …`), `kubectl logs --prefix` (`[pod/web-1/app] `),
 * journald's short format (`May 01 10:00:00 host node[42]: `), `docker logs -t` and ISO or syslog
 * timestamps, and `pm2`-style `0|app  | ` columns. Only what matches at the start is taken off.
 */
const PREFIXES: RegExp[] = [
  // kubectl logs --prefix
  /^\[(?:pod|deployment|job|statefulset|daemonset)\/[^\]\s]+\]\s/,
  // CRI: timestamp, stream, P(artial)/F(ull)
  /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)\s(?:stdout|stderr)\s[PF]\s/,
  // ISO-8601 timestamp (docker logs -t, most loggers), optionally bracketed
  /^\[?\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\]?\s+/,
  // journald/syslog short: "May 01 10:00:00 host unit[pid]: "
  /^[A-Z][a-z]{2}\s+\d{1,2}\s\d\d:\d\d:\d\d\s\S+\s[^\s:[]+(?:\[\d+\])?:\s/,
  // a pod or container name column before a pipe: "web-7d9c | ", pm2's "0|app  | "
  /^(?:\d+\|)?[\w.-]+\s*\|\s/,
  // log level words some wrappers add
  /^(?:stderr|stdout|ERROR|error|WARN|INFO)[:\s]\s*/,
];

const JSON_TEXT_KEYS = ['log', 'MESSAGE', 'message', 'msg', 'textPayload'] as const;

/** The line as the process wrote it; `unwrapped` when it came out of a JSON wrapper. */
export function unwrapLine(raw: string): { text: string; unwrapped: boolean } {
  let text = raw.replace(/\r$/, '');
  let unwrapped = false;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && trimmed.trimEnd().endsWith('}')) {
    const inner = jsonText(trimmed);
    if (inner !== null) {
      text = inner.replace(/\r?\n$/, '');
      unwrapped = true;
    }
  }
  return { text: stripPrefixes(text), unwrapped };
}

/** Takes known prefixes off the start of a line, one after another (a timestamp, then a pod name…). */
export function stripPrefixes(text: string): string {
  for (let round = 0; round < 4; round++) {
    const before = text;
    for (const prefix of PREFIXES) text = text.replace(prefix, '');
    if (text === before) break;
  }
  return text;
}

function jsonText(line: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  for (const key of JSON_TEXT_KEYS) {
    const text = record[key];
    if (typeof text === 'string') return text;
    // journald writes MESSAGE as an array of bytes when it is not valid UTF-8.
    if (Array.isArray(text) && text.every((byte) => typeof byte === 'number')) return Buffer.from(text as number[]).toString('utf8');
  }
  return null;
}
