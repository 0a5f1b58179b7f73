/**
 * People to stderr (docs/architecture.md, house rule 4): progress bars only when stderr is a TTY, notes always.
 * Handlers receive a Reporter in their context and never write to a stream themselves.
 */
export interface Progress {
  /** Sets the absolute amount done. */
  update(done: number): void;
  done(): void;
}

export interface Reporter {
  /** A one-line note for the person running the command (e.g. "seeding demo first"). */
  note(message: string): void;
  progress(label: string, total: number, unit?: string): Progress;
  /** A line for someone watching a terminal (what a long step will do), like progress: only when stderr is a TTY. */
  aside?(message: string): void;
  /**
   * The one status line of a long run (src/core/measure/queue-progress.ts), redrawn in place and cut to the
   * terminal's width; null clears it. Only when stderr is a TTY: elsewhere it writes nothing.
   */
  status?(text: string | null): void;
}

export const silentReporter: Reporter = {
  note: () => undefined,
  progress: () => ({ update: () => undefined, done: () => undefined }),
};

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/** Columns when neither the terminal nor $COLUMNS says: the rule of src/report/terminal-text.ts (terminalWidth). */
const DEFAULT_COLUMNS = 100;

function columnsOf(stream: NodeJS.WriteStream): number {
  const fromEnv = Number(process.env.COLUMNS);
  return stream.columns > 0 ? stream.columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_COLUMNS;
}

export function streamReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  // The status line on screen, if any: a note is written above it, and it is drawn again under the note.
  let status: string | null = null;
  const clear = () => (status === null ? '' : '\r\x1b[2K');
  const draw = () => (status === null ? '' : `\r\x1b[2K${status}`);
  return {
    note: (message) => {
      stream.write(`${clear()}${message}\n${draw()}`);
    },
    progress: (label, total, unit = 'docs') => (stream.isTTY ? ttyProgress(stream, label, total, unit) : silentReporter.progress(label, total)),
    aside: (message) => {
      if (stream.isTTY) stream.write(`${clear()}${message}\n${draw()}`);
    },
    status: (text) => {
      if (!stream.isTTY) return;
      const wiped = clear();
      // One column short of the width: a line that fills the last column wraps on some terminals.
      status = text === null ? null : cut(text, columnsOf(stream) - 1);
      stream.write(status === null ? wiped : draw());
    },
  };
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function ttyProgress(stream: NodeJS.WriteStream, label: string, total: number, unit: string): Progress {
  const started = process.hrtime.bigint();
  let lastDraw = 0;
  let current = 0;
  const draw = () => {
    const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
    const fraction = total > 0 ? Math.min(1, current / total) : 0;
    const rate = elapsedS > 0 ? current / elapsedS : 0;
    const etaS = rate > 0 ? (total - current) / rate : Infinity;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const eta = Number.isFinite(etaS) ? `ETA ${Math.ceil(etaS)}s` : 'ETA ?';
    stream.write(
      `\r\x1b[2K${label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${current.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${Math.round(rate).toLocaleString('en-US')} ${unit}/s ${eta}, ${Math.floor(elapsedS)}s elapsed`,
    );
  };
  return {
    update: (done) => {
      current = done;
      const now = Date.now();
      if (now - lastDraw >= REDRAW_MS) {
        lastDraw = now;
        draw();
      }
    },
    done: () => {
      draw();
      stream.write('\n');
    },
  };
}
