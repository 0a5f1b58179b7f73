/**
 * A producer's request body: a template with placeholders filled in per send — `{{now}}` the send
 * time in milliseconds since the epoch (monitors look for it in what they receive to measure
 * delivery latency and staleness), `{{seq}}` the send's sequence number over all producers,
 * `{{rand}}` a random number in [0, 1000) with three decimals. Compiled once into its fixed parts
 * so a send is one join.
 */
export type BodyTemplate = (send: { now: number; seq: number }) => string;

const PLACEHOLDER = /\{\{(now|seq|rand)\}\}/g;

/** Spider's C# clients posted timing samples: an operation, its milliseconds, and when. */
export const DEFAULT_BODY = '{"t":{{now}},"seq":{{seq}},"op":"db.query","ms":{{rand}}}';

export function compileBody(template: string): BodyTemplate {
  const parts: string[] = [];
  const slots: Array<'now' | 'seq' | 'rand'> = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, match.index));
    slots.push(match[1] as 'now' | 'seq' | 'rand');
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  if (slots.length === 0) return () => template;
  return (send) => {
    let out = '';
    for (let i = 0; i < slots.length; i += 1) {
      const slot = slots[i]!;
      out += parts[i]! + (slot === 'now' ? String(send.now) : slot === 'seq' ? String(send.seq) : (Math.random() * 1000).toFixed(3));
    }
    return out + tail;
  };
}

/** The placeholders a template uses, for the result (which of them the monitors can rely on). */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}
