/** The process's CPU time so far, user + system, in µs (every thread: V8's GC and compiler helpers too). */
export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
