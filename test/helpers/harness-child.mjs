// A child for test/child-harness.test.ts, speaking src/lib/child's protocol (dist/, built by global-setup).
import { receiveConfig, sendFinal, sendStream, writeProgress } from '../../dist/lib/child/in-child.js';

const config = await receiveConfig();
if (config.mode === 'echo') {
  writeProgress({ step: 1 });
  sendStream({ type: 'sample', n: 1 });
  await sendFinal({ type: 'result', configChars: JSON.stringify(config).length, fromEnv: process.env.IMDIAG_CHILD_CONFIG !== '@ipc' });
} else if (config.mode === 'oom') {
  writeProgress({ step: 'allocating' });
  const hoard = [];
  for (;;) hoard.push(new Array(100_000).fill({ hoarded: hoard.length }));
} else if (config.mode === 'wait') {
  sendStream({ type: 'waiting' });
  setInterval(() => undefined, 1000);
} else if (config.mode === 'exit') {
  process.stderr.write('giving up\n');
  process.exitCode = 3;
}
