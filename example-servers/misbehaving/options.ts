// What the misbehaving entry passes to every kind, parsed from argv.

/** Options of a misbehaving server, from `--delay-ms=<n>` etc. on its command line. */
export interface MisbehaviourOptions {
  /** ms; used by 'slow-start'. */
  delayMs: number
}

/** Runs one kind of misbehaving server in this process. */
export type MisbehaviourRunner = (options: MisbehaviourOptions) => Promise<void>
