// A Node process that runs out of heap on purpose, for `imdiag doctor`'s tests and fixtures
// (test/fixtures/doctor/README.source.md). Run it under a small cap: node --max-old-space-size=32.
//   live:  instances of ChatMessage accumulate over many event-loop turns, all kept reachable
//   spike: one synchronous loop builds a large array of rows until the heap is full
//   hang:  prints a line, then waits to be killed (the SIGKILL case)
'use strict';
const mode = process.argv[2] ?? 'live';

class ChatMessage {
  constructor(i) {
    this.id = i;
    this.body = `message body ${i} `.padEnd(1000, '.');
    this.meta = { at: i * 1000, seq: i };
  }
}

console.log(`app: started (${mode}), pid ${process.pid}`);
if (mode === 'live') {
  const held = [];
  let next = 0;
  const turn = () => {
    for (let k = 0; k < 1000; k++) held.push(new ChatMessage(next++));
    setImmediate(turn);
  };
  turn();
} else if (mode === 'spike') {
  const rows = [];
  for (let i = 0; ; i++) rows.push([i, `row ${i}`]);
} else {
  console.log('app: waiting');
  setInterval(() => {}, 1000);
}
