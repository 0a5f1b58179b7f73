import { styleFor } from '../../lib/style.js';
import { parseSavedResult } from '../../report/load.js';
import { renderTerminal } from '../../report/terminal-render.js';
import { stdoutLayout } from '../common/emit.js';
import { readInput } from './handler.js';
import type { ShowOptions } from './options.js';

/** `imdiag report RESULT.json` without --out: the saved run printed again as its command printed it, fitted to this terminal. */
export async function showSaved(options: ShowOptions): Promise<void> {
  const result = parseSavedResult(await readInput(options), options.input);
  process.stdout.write(renderTerminal(result, styleFor('stdout'), stdoutLayout(options.wide)));
}
