/**
 * A command-line flag as cli.ts declares it and --help shows it. The default and the allowed
 * range are written from the constants the command's validate… function uses, so --help, the
 * validator's error message and the README cannot drift apart.
 */
export interface FlagSpec {
  /** commander's syntax: '--runs <n>', '--quick', '--heapdump [dir]'. */
  flags: string;
  description: string;
  /** What the validator uses when the flag is absent; shown as "default: …". */
  default?: string | number;
  /** The values the validator accepts; shown as "allowed: …". */
  allowed?: string;
  /** An environment variable commander reads when the flag is absent. */
  env?: string;
}

export interface Range {
  min: number;
  max: number;
}

/** "1-1000", or with a formatter "1 s-2 h". */
export function rangeText(range: Range, format: (value: number) => string = (value) => value.toLocaleString('en-US')): string {
  return `${format(range.min)}-${format(range.max)}`;
}

/** The description --help prints: the text, then the default and the allowed values. */
export function helpText(flag: FlagSpec): string {
  const facts = [flag.default === undefined ? null : `default: ${flag.default}`, flag.allowed === undefined ? null : `allowed: ${flag.allowed}`].filter(
    (fact) => fact !== null,
  );
  return facts.length > 0 ? `${flag.description} (${facts.join('; ')})` : flag.description;
}
