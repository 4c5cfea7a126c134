// The reaper process: started detached by a Vitest process (a worker, or the main process) on its
// first spawn of a process of ours, it outlives it. Its stdin is a pipe from that client: when the
// pipe closes, however the client ended (SIGKILL included), it kills what the client watched and
// had not released, leaves a report line for the plugin's reporter, and exits.
import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { reap } from './reap.js'
import {
  REAPER_CLIENT_VARIABLE,
  type ReapedLine,
  type ReaperMessage,
  type Watched,
} from './reaper-protocol.js'

/** A message longer than this is not one of ours: dropped, so nothing a client writes grows memory unbounded. */
const MAX_LINE = 64 * 1024

const [pid = 0, threadId = 0] = (process.env[REAPER_CLIENT_VARIABLE] ?? '').split(':').map(Number)
const watched = new Map<number, Watched>()
let reportDir: string | undefined
let goodbye = false

function handle(message: ReaperMessage): void {
  switch (message.op) {
    case 'watch':
      watched.set(message.id, message.watched)
      break
    case 'release':
      watched.delete(message.id)
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

async function clientGone(): Promise<void> {
  const reaped = await reap([...watched.values()])
  if (reaped.length > 0 && reportDir !== undefined) {
    const line: ReapedLine = { event: 'reaped', worker: { pid, threadId }, unexpected: !goodbye, reaped }
    try {
      mkdirSync(reportDir, { recursive: true })
      appendFileSync(join(reportDir, `reaper-${pid}-${threadId}.jsonl`), `${JSON.stringify(line)}\n`)
    } catch {
      // The run's report directory is gone (the run ended): nobody is left to tell.
    }
  }
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
