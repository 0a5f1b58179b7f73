/**
 * The one parent ↔ child protocol every command's measured children speak (docs/architecture.md, house rule 5).
 *
 * Config. The parent forks `node [--expose-gc] [--max-old-space-size=N] <entry>` with an IPC
 * channel. The config travels in the environment variable CONFIG_ENV, never in argv: it may carry
 * a connection string with credentials, and argv is world-readable (`ps`). One environment
 * variable is capped at ~128 KB on Linux (MAX_ARG_STRLEN), so a config larger than
 * ENV_CONFIG_MAX_BYTES (a whole pipeline, say) goes over IPC instead: CONFIG_ENV then holds
 * CONFIG_OVER_IPC, the child asks with `{ kind: 'need-config' }` once it listens, and the parent
 * answers `{ kind: 'config', config }` (asking first: a message sent before an ES module child
 * has attached its listener would be lost).
 *
 * While running. Two streams, both optional:
 * - progress: `@imdiag-progress <json>` lines on stderr. stderr is a pipe and writes to pipes are
 *   synchronous on Linux, so the last line survives an OOM death ("OOM after ~N documents").
 * - stream messages over IPC, `{ kind: 'stream', message }`: readiness, samples. A process dying of
 *   OOM sends no final message, so anything the parent needs from a child that may die streams.
 * The parent may send `{ kind: 'control', message }` (start, stop…).
 *
 * The end. Exactly one `{ kind: 'final', message }` (a result or an error), then the child
 * disconnects and ends on its own. A child that ends without one is a death, described by
 * death.ts (ok / oom / timeout / aborted / signal / exit code). A child whose parent disappears
 * (the IPC channel closes before its final message) ends itself about ORPHAN_GRACE_MS later.
 */
export const CONFIG_ENV = 'IMDIAG_CHILD_CONFIG';
export const CONFIG_OVER_IPC = '@ipc';
/** Configs above this go over IPC: well under the ~128 KB one environment variable may hold. */
export const ENV_CONFIG_MAX_BYTES = 64 * 1024;
export const PROGRESS_PREFIX = '@imdiag-progress ';
/** An orphaned child (parent gone) gets this long to close its handles, then kills itself. */
export const ORPHAN_GRACE_MS = 250;

export type ParentToChild<Config, Control> = { kind: 'config'; config: Config } | { kind: 'control'; message: Control };

export type ChildToParent<Stream, Final> = { kind: 'need-config' } | { kind: 'stream'; message: Stream } | { kind: 'final'; message: Final };

/** What every final message looks like: a result or an error (a command may add kinds, e.g. skipped). */
export interface FinalMessage {
  type: string;
}
