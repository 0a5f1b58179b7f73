// Forks a waiting child through the harness, prints its pid once it runs and waits: test/child-harness.test.ts SIGKILLs this process.
import { forkChild } from '../../dist/lib/child/fork.js';

const child = forkChild({
  entry: new URL('./harness-child.mjs', import.meta.url),
  config: { mode: 'wait' },
  onStream: () => process.stdout.write(`${child.pid}\n`),
});
setInterval(() => undefined, 1000);
