// Entry of the bundled misbehaving server: `misbehaving.mjs <kind> [--delay-ms=<n>]`.
import { isMisbehaviourKind, type MisbehaviourKind, misbehaviourKinds } from '../src/servers/kinds.js'
import { run as closeStdout } from './misbehaving/close-stdout.js'
import { run as crashOnCall } from './misbehaving/crash-on-call.js'
import { run as exitEarly } from './misbehaving/exit-early.js'
import { run as exitOnDiscover } from './misbehaving/exit-on-discover.js'
import { run as grandchild } from './misbehaving/grandchild.js'
import { run as hang } from './misbehaving/hang.js'
import { run as ignoreSigterm } from './misbehaving/ignore-sigterm.js'
import { run as ignoreStdinClose } from './misbehaving/ignore-stdin-close.js'
import { run as legacyOnly } from './misbehaving/legacy-only.js'
import { run as modernOnly } from './misbehaving/modern-only.js'
import { run as noisyStdout } from './misbehaving/noisy-stdout.js'
import type { MisbehaviourOptions, MisbehaviourRunner } from './misbehaving/options.js'
import { run as setsidChild } from './misbehaving/setsid-child.js'
import { run as slowStart } from './misbehaving/slow-start.js'

// A Record over the union: adding a kind without a runner is a type error.
const runners: Record<MisbehaviourKind, MisbehaviourRunner> = {
  'slow-start': slowStart,
  'exit-early': exitEarly,
  'crash-on-call': crashOnCall,
  'ignore-stdin-close': ignoreStdinClose,
  'ignore-sigterm': ignoreSigterm,
  grandchild,
  'noisy-stdout': noisyStdout,
  hang,
  'setsid-child': setsidChild,
  'close-stdout': closeStdout,
  'modern-only': modernOnly,
  'legacy-only': legacyOnly,
  'exit-on-discover': exitOnDiscover,
}

function usage(problem: string): never {
  process.stderr.write(
    `misbehaving: ${problem}; usage: misbehaving.mjs <${misbehaviourKinds.join('|')}> [--delay-ms=<n>]\n`,
  )
  process.exit(2)
}

function parseOptions(args: readonly string[]): MisbehaviourOptions {
  const options: MisbehaviourOptions = { delayMs: 1000 }
  for (const arg of args) {
    const delay = /^--delay-ms=(\d+)$/.exec(arg)
    if (delay?.[1] !== undefined) options.delayMs = Number(delay[1])
    else usage(`unknown option ${JSON.stringify(arg)}`)
  }
  return options
}

const [kind, ...rest] = process.argv.slice(2)
if (!isMisbehaviourKind(kind))
  usage(kind === undefined ? 'no kind given' : `unknown kind ${JSON.stringify(kind)}`)
await runners[kind](parseOptions(rest))
