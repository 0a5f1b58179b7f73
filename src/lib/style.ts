import { Chalk, supportsColor, supportsColorStderr, type ChalkInstance } from 'chalk';

export type Style = ChalkInstance;

/** A chalk instance for one stream: colour only when that stream is a colour TTY (chalk honours NO_COLOR/FORCE_COLOR). */
export function styleFor(stream: 'stdout' | 'stderr'): Style {
  const support = stream === 'stdout' ? supportsColor : supportsColorStderr;
  return new Chalk({ level: support ? support.level : 0 });
}

/** Plain text, for tests and files. */
export const plainStyle: Style = new Chalk({ level: 0 });
