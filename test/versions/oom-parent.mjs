// Forks test/helpers/harness-child.mjs in its out-of-memory mode through the child harness (dist/),
// on the Node that runs this file, and prints how the harness saw the child end (JSON on stdout).
import { forkChild } from '../../dist/lib/child/fork.js';
import { heapAtLastGcBytes } from '../../dist/lib/child/death.js';

const end = await forkChild({ entry: new URL('../helpers/harness-child.mjs', import.meta.url), config: { mode: 'oom' }, maxOldSpaceSizeMB: 16 }).end;
process.stdout.write(JSON.stringify({ death: end.death, heapAtLastGcBytes: heapAtLastGcBytes(end.stderrTail), stderrTail: end.stderrTail }));
