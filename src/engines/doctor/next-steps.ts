import type { Blame, DoctorOutcome, NextStep, SnapshotEvidence } from '../../results/doctor.js';

export interface NextInputs {
  outcome: DoctorOutcome;
  blame: Blame;
  freedNothing: boolean;
  snapshot: SnapshotEvidence | null;
  /** The log named a snapshot path (analysed or not). */
  snapshotNamed: string | null;
  hadReport: boolean;
  capMB: number | null;
}

const SNAPSHOT_FLAG = {
  command: 'node --heapsnapshot-near-heap-limit=1 …',
  why: "next crash, a heap snapshot near the limit says whose objects filled the heap (costs about the heap's size again in memory and disk while it writes; Node skips it when it judges that too risky); then npx imdiag doctor on the log reads it",
};
const REPORT_FLAG = {
  command: 'node --report-on-fatalerror --report-directory=/var/log/node …',
  why: 'next crash, a diagnostic report: the heap spaces, the limit, RSS and the command line (it also records environment variables: keep it private)',
};

/** The commands to run next, filled in from what the input said; most useful first. */
export function nextSteps(inputs: NextInputs): NextStep[] {
  const steps: NextStep[] = [];
  const culprit = inputs.blame.culprit?.id ?? '';
  if (inputs.outcome === 'external-kill') {
    steps.push({
      command: 'npx imdiag watch --pid <PID> --memory-limit <the container limit, e.g. 2gb> --duration 30m',
      why: "the kill came from the machine's or the container's limit: watch RSS (heap + external + native), not just the heap, against that limit (cat /sys/fs/cgroup/memory.max)",
    });
  }
  if (/^mongoose|^bson|^driver/.test(culprit)) {
    steps.push({
      command: "npx imdiag query --uri mongodb://<host>:27017 --db <db> --collection <collection> --filter '<the query>'",
      why: "measure your queries: the heap each query's result costs as Mongoose documents, lean objects, a driver cursor and a projection, predicted for the whole result",
    });
    steps.push({
      command: 'npx imdiag query --uri mongodb://<host>:27017 --db <db> --from-log /var/log/mongodb/mongod.log',
      why: "don't know which query? the heaviest ones of mongod's slow-query log (or --from-profile with the profiler on)",
    });
  }
  if (/send-queue/.test(culprit)) {
    steps.push({
      command: 'npx imdiag flood --target http://127.0.0.1:<port> --rate 1000 --slow-clients 5',
      why: 'push load with slow clients against your own server: do send queues grow without bound?',
    });
  }
  const snapshotPath = inputs.snapshot?.path ?? inputs.snapshotNamed;
  if (snapshotPath !== null) {
    steps.push({
      command: `npx imdiag heap ${quote(snapshotPath)} --retainers`,
      why:
        inputs.snapshot?.status === 'analysed'
          ? 'the whole snapshot: every class, the largest objects and what holds them'
          : 'the snapshot Node wrote before dying: copy it here and read it (doctor analyses it when it is beside the log or given with --snapshot)',
    });
  }
  if (inputs.outcome === 'v8-oom' && (inputs.freedNothing || inputs.blame.source === 'none')) {
    steps.push({
      command: 'npx imdiag watch --pid <PID> --duration 30m --until-verdict',
      why: 'on the restarted process: does the heap grow steadily (a leak — then npx imdiag leak names what stays) or jump at one request (a spike)?',
    });
    steps.push({
      command: "npx imdiag leak --pid <PID> --open-inspector --during '<a load that repeats the suspect traffic>' --repeat 3",
      why: 'a leak: the objects allocated during the workload and still alive after it, by allocating function and by what holds them, in one inspector session',
    });
  }
  if (inputs.outcome !== 'external-kill' && snapshotPath === null) steps.push(SNAPSHOT_FLAG);
  if (!inputs.hadReport) steps.push(REPORT_FLAG);
  if (inputs.outcome === 'no-evidence') {
    steps.unshift({
      command: 'kubectl describe pod <pod> | grep -A5 "Last State"; dmesg -T | grep -i "killed process"; journalctl -k | grep -i oom',
      why: 'a log that just stops is often a kill from outside (SIGKILL, exit 137), recorded elsewhere: run doctor on that output',
    });
  }
  return steps;
}

function quote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
