// What a Vitest process tells its reaper (one JSON message a line on the reaper's stdin; a server's
// stdin socket over the IPC channel), and what the reaper leaves for the plugin's reporter when it
// had to kill something.

/** A process the reaper kills, with what it left, if its client dies first. */
export interface Watched {
  /** A host's server, or a child process a checked test started. */
  readonly kind: 'server' | 'child'
  /** How reports name it: `server "weather"`, or the command of a child a test started. */
  readonly label: string
  readonly pid: number
  /** It leads its own process group (a server; a child spawned `detached`): the group is its. */
  readonly leader: boolean
  /** Its start time as the process table gives it: a pid reused by another process is not it. */
  readonly startTime: number | undefined
  /** `NAME=value` in the environment of it and its descendants: found wherever they went. */
  readonly token?: { readonly name: string; readonly value: string }
  /** ms between SIGTERM and SIGKILL (capped by the reaper). */
  readonly termMs?: number
}

export type ReaperMessage =
  /** Where to leave the report of what was killed (the plugin's report directory). */
  | { readonly op: 'report'; readonly dir: string }
  | { readonly op: 'watch'; readonly id: number; readonly watched: Watched }
  /** Stopped by its owner: nothing to do for it any more. */
  | { readonly op: 'release'; readonly id: number }
  /** The client is ending normally (Vitest asked its worker to stop, or the process exits): not a crash. */
  | { readonly op: 'bye' }

/**
 * Sent over the reaper's IPC channel with the client's end of a watched server's stdin socket: the
 * reaper keeps a copy of it open until `release`, so the server sees no end of its input when the
 * client dies, and is still there, with its children's parent links, when the reaper looks. An
 * `end()` by the client (shutdown) still ends the server's input: it acts on the socket, not on a copy.
 */
export interface HoldMessage {
  readonly op: 'hold'
  readonly id: number
}

/** The environment variable naming, in the reaper's own environment, the client it watches. */
export const REAPER_CLIENT_VARIABLE = 'VITEST_MCP_HOST_REAPER_FOR'

/** One process the reaper found alive and killed. */
export interface ReapedProcess {
  readonly pid: number
  /** The watched process's label for itself; its command line for what it left. */
  readonly label: string
  /** A watched server that had already exited on its own (its stdin closed with the client): not killed. */
  readonly exited?: true
}

/**
 * Lines of `<report dir>/reaper-<pid>-<thread>.jsonl`, when the client ended with something still
 * watched: `reaping` as soon as its pipe closed, `reaped` once all is killed.
 */
export type ReapedLine =
  | {
      readonly event: 'reaping'
      readonly worker: { readonly pid: number; readonly threadId: number }
      /** True when the client died without saying goodbye: killed, or crashed. */
      readonly unexpected: boolean
    }
  | {
      readonly event: 'reaped'
      readonly worker: { readonly pid: number; readonly threadId: number }
      readonly unexpected: boolean
      readonly reaped: readonly ReapedProcess[]
    }
