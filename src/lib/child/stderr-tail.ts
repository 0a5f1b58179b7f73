/** Characters kept of one stderr line: a minified stack line can be megabytes. */
const MAX_LINE_CHARS = 1000;

/**
 * The last lines a child wrote to stderr, bounded in lines and characters. `push` returns the
 * complete lines of a chunk so the caller can pick out progress lines, which are not kept.
 */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly maxLines: number;
  private readonly skip: (line: string) => boolean;

  constructor(maxLines: number, skip: (line: string) => boolean = () => false) {
    this.maxLines = maxLines;
    this.skip = skip;
  }

  push(chunk: string): string[] {
    const lines = (this.partial + chunk).split('\n');
    this.partial = (lines.pop() ?? '').slice(-MAX_LINE_CHARS * 4);
    for (const line of lines) this.keep(line);
    return lines;
  }

  /** A line of the parent's own (a spawn failure). */
  note(line: string): void {
    this.keep(line);
  }

  finish(): string[] {
    if (this.partial.trim() !== '') this.keep(this.partial);
    this.partial = '';
    return [...this.lines];
  }

  private keep(line: string): void {
    if (line.trim() === '' || this.skip(line)) return;
    this.lines.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}
