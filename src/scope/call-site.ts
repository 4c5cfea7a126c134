// Captures the call site of the user code that acquired or disposed a resource.
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where a resource was acquired or disposed: the first stack frame outside this library, the runner
 * and any package under node_modules (or, when there is no other, the first under node_modules).
 */
export interface CallSite {
  /** `file:line:column`, relative to the working directory when inside it. */
  readonly location: string
  /** The raw V8 frame of that location (`at fn (file:///…:12:5)`), to splice into error stacks. */
  readonly frame: string
  /** The whole captured stack below the capture point, for `trace`-style reports. */
  readonly stack: string
}

// The library's own code: src/ when run from source, dist/src/ when built (this module may sit in an
// entry file or a shared chunk there). Frames there are never the user's, nor are source-mapped frames
// of the build that point back into src/.
const here = fileURLToPath(new URL('.', import.meta.url))
const built = /^(.*[\\/]dist[\\/]src[\\/])/.exec(here)?.[1]
const ownRoots = built
  ? [built, join(built, '..', '..', 'src', sep)]
  : [fileURLToPath(new URL('..', import.meta.url))]
// Node's own modules, public ones too: `at node:timers/promises:79:21` (an anonymous function of
// node:timers/promises) is no more the user's line than `at setTimeout (node:timers/promises:…)`.
const internalFrame =
  /\u0000|@oxc-project[+/]runtime|node:internal|node:async_hooks|\(node:|^at (?:async )?node:|[\\/]node_modules[\\/](vitest|@vitest|@modelcontextprotocol|tinypool|vite)[\\/]/

// The whole location, right after `(` or `at `: a match starting inside it (`/promises:79:21` of
// `node:timers/promises:79:21`) would cut off its module's prefix.
const framePattern = /(?:\(|^at (?:async )?)((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/

// A library's code (cross-spawn under the SDK, a client helper): on the stack between the user's
// line and the capture, it is not what the user wrote, so the user's frame below it is shown.
const libraryFile = /[\\/]node_modules[\\/]/

/**
 * Captures the caller's call site: the frames now, formatted only when a field is first read.
 * Capturing costs ~30 µs; formatting and reading the frames (source maps under Vitest) up to ~1.7 ms,
 * and most call sites (every host, scope, resource and request) are never shown: only those named in a
 * finding or an error are read.
 */
export function captureCallSite(): CallSite {
  return lazySite(captureStack(captureCallSite))
}

function lazySite(holder: { stack?: string }): CallSite {
  let site: CallSite | undefined
  const read = () => (site ??= siteFromFrames(holder))
  return {
    get location() {
      return read().location
    },
    get frame() {
      return read().frame
    },
    get stack() {
      return read().stack
    },
  }
}

/** The frames below `above`, unformatted: V8 formats them on the first read of `stack`. */
function captureStack(above: (...args: never[]) => unknown): { stack?: string } {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 40
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder, above)
  Error.stackTraceLimit = limit
  return holder
}

function siteFromFrames(holder: { stack?: string }): CallSite {
  const lines = (holder.stack ?? '').split('\n').slice(1)
  const frames = lines.map((line) => line.trim()).filter((line) => line.startsWith('at '))
  const stack = frames.join('\n')
  // With no user frame at all (a library's timer callback), the library's line is the best there is.
  let fallback: { location: string; frame: string } | undefined
  for (const frame of frames) {
    const found = userLocation(frame)
    if (!found) continue
    if (!libraryFile.test(found.file)) return { location: found.location, frame, stack }
    fallback ??= { location: found.location, frame }
  }
  return fallback
    ? { ...fallback, stack }
    : { location: 'unknown location (no user frame on the stack)', frame: '', stack }
}

function userLocation(frame: string): { location: string; file: string } | undefined {
  if (internalFrame.test(frame)) return undefined
  const match = framePattern.exec(frame)
  if (!match?.[1]) return undefined
  const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1]
  if (ownRoots.some((root) => file.startsWith(root))) return undefined
  const rel = relative(process.cwd(), file)
  const shown = rel.startsWith(`..${sep}`) || rel === '' ? file : rel
  return { location: `${shown}:${match[2]}:${match[3]}`, file }
}
