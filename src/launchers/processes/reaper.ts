// The reaper process: started detached by a Vitest process (a worker, or the main process) on its
// first spawn of a process of ours, it outlives it. Its stdin is a pipe from that client: when the
// pipe closes, however the client ended (SIGKILL included), it kills what the client watched and
// had not released, leaves a report line for the plugin's reporter, and exits. It keeps each
// watched server's stdin open meanwhile (HoldMessage): a server whose client died is still running,
// with its children's parent links, when it is reaped.
import { appendFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { processInfo } from './process-table.js'
import { reap } from './reap.js'
import {
  type HoldMessage,
  REAPER_CLIENT_VARIABLE,
  type ReapedLine,
  type ReaperMessage,
  type Watched,
} from './reaper-protocol.js'

/** A message longer than this is not one of ours: dropped, so nothing a client writes grows memory unbounded. */
const MAX_LINE = 64 * 1024

const [pid = 0, threadId = 0] = (process.env[REAPER_CLIENT_VARIABLE] ?? '').split(':').map(Number)
const watched = new Map<number, Watched>()
/** Copies of watched servers' stdin sockets, by watch id, kept open until released (or the end). */
const held = new Map<number, Socket>()
/** The highest watch id seen: a socket for a lower id that is not watched was released already. */
let highestWatched = 0
let reportDir: string | undefined
let goodbye = false

function handle(message: ReaperMessage): void {
  switch (message.op) {
    case 'watch':
      watched.set(message.id, withStartTime(message.watched))
      highestWatched = Math.max(highestWatched, message.id)
      break
    case 'release':
      watched.delete(message.id)
      // Closed, never ended: an end would shut the server's input down for the client as well.
      held.get(message.id)?.destroy()
      held.delete(message.id)
      // Stopped normally, and its last server just stopped: nothing is left to wait for.
      if (goodbye && watched.size === 0) process.exit(0)
      break
    case 'report':
      reportDir = message.dir
      break
    case 'bye':
      goodbye = true
      // Nothing left to watch: gone now, before the client has finished exiting.
      if (watched.size === 0) process.exit(0)
      break
  }
}

/**
 * A test's child as the client sent it, without a start time where reading one would have cost the
 * client a process round trip (`ps`, off Linux): read here, as it arrives, milliseconds after its spawn.
 */
function withStartTime(w: Watched): Watched {
  if (w.startTime !== undefined) return w
  return { ...w, startTime: processInfo(w.pid)?.startTime }
}

let pending = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk: string) => {
  pending += chunk
  const lines = pending.split('\n')
  pending = lines.pop() ?? ''
  if (pending.length > MAX_LINE) pending = ''
  for (const line of lines) {
    try {
      handle(JSON.parse(line) as ReaperMessage)
    } catch {
      // Not a message of ours: ignored.
    }
  }
})

/**
 * A server's stdin socket (the channel and the stdin pipe are not ordered against each other: it
 * may come before its watch, or after its release).
 */
process.on('message', (message: HoldMessage | undefined, socket: Socket | undefined) => {
  if (message?.op !== 'hold' || !socket) return
  // Never read: what a server might write on its stdin is not ours, and reading its end would end it.
  socket.pause()
  socket.on('error', () => {})
  if (watched.has(message.id) || message.id > highestWatched) held.set(message.id, socket)
  else socket.destroy()
})

/** Appended to the run's report directory, if it still exists (the run may have ended: nobody to tell). */
function report(line: ReapedLine): void {
  if (reportDir === undefined) return
  try {
    appendFileSync(join(reportDir, `reaper-${pid}-${threadId}.jsonl`), `${JSON.stringify(line)}\n`)
  } catch {
    // Gone with the run.
  }
}

async function clientGone(): Promise<void> {
  const worker = { pid, threadId }
  // At once, before the reaping: the reporter then knows to wait for the line below.
  if (watched.size > 0) report({ event: 'reaping', worker, unexpected: !goodbye })
  const reaped = await reap([...watched.values()])
  if (watched.size > 0) report({ event: 'reaped', worker, unexpected: !goodbye, reaped })
  process.exit(0)
}

// 'end' when the pipe closes cleanly; 'close' covers an error on it as well.
let ending = false
const end = () => {
  if (ending) return
  ending = true
  void clientGone()
}
process.stdin.once('end', end)
process.stdin.once('close', end)
process.stdin.on('error', end)
// The client's end of the channel closes with it too.
process.once('disconnect', end)
