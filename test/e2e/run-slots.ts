// How many nested Vitest runs the whole suite has going at once, whichever worker starts them: a
// slot server that the suite's globalSetup opens on a Unix socket, one connection per held slot.
// A worker that dies closes its connections, so its slots come back on their own.
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { createServer, type Socket, connect as socketTo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** What `provide`/`inject` call the server's socket path. */
export const SLOTS_KEY = 'e2eRunSlots'

declare module 'vitest' {
  interface ProvidedContext {
    /** Absent when the suite's globalSetup did not run (the harness then limits per worker). */
    e2eRunSlots?: string
  }
}

/**
 * Nested runs at once: each is a Vite server plus its workers, busy for 1–3 s of CPU as it starts,
 * then mostly waiting on the servers it tests. Three keep a 2-core machine busy without a run
 * taking so long to start that it meets its own timeouts.
 */
export const SUITE_RUN_SLOTS = 3

let opened = 0

export interface SlotServer {
  readonly path: string
  close(): Promise<void>
}

/** Opens the slot server (globalSetup): `capacity` slots, granted in the order asked for. */
export async function openSlotServer(capacity = SUITE_RUN_SLOTS): Promise<SlotServer> {
  const socketPath = path.join(tmpdir(), `vitest-mcp-host-slots-${process.pid}-${++opened}.sock`)
  rmSync(socketPath, { force: true })
  let free = capacity
  const queue: Array<{ socket: Socket; weight: number }> = []
  const grant = () => {
    while (queue[0] && queue[0].weight <= free) {
      const next = queue.shift() as { socket: Socket; weight: number }
      free -= next.weight
      next.socket.write('go\n')
      next.socket.once('close', () => {
        free += next.weight
        grant()
      })
    }
  }
  const server = createServer((socket) => {
    socket.setEncoding('utf8')
    socket.on('error', () => {}) // a worker gone mid-write: its 'close' follows
    socket.once('data', (text: string) => {
      const weight = Math.min(Math.max(1, Number.parseInt(text, 10) || 1), capacity)
      const asked = { socket, weight }
      queue.push(asked)
      // Gone before its turn: out of the queue.
      socket.once('close', () => {
        const at = queue.indexOf(asked)
        if (at !== -1) queue.splice(at, 1)
        grant()
      })
      grant()
    })
  })
  server.listen(socketPath)
  await once(server, 'listening')
  server.unref()
  return {
    path: socketPath,
    async close() {
      server.close()
      rmSync(socketPath, { force: true })
    },
  }
}

/**
 * Waits for `weight` slots of the server at `socketPath`, runs `task`, and gives them back. Aborting
 * `signal` while waiting rejects with its reason and leaves the queue.
 */
export async function withSlots<T>(
  socketPath: string,
  weight: number,
  signal: AbortSignal | undefined,
  task: () => Promise<T>,
): Promise<T> {
  const socket = socketTo(socketPath)
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        signal?.removeEventListener('abort', onAbort)
        reject(error)
      }
      const onAbort = () => fail(signal?.reason)
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      socket.once('error', (error) =>
        fail(new Error(`the e2e run slot server at ${socketPath} is not there (${error.message})`)),
      )
      socket.once('close', () => fail(new Error(`the e2e run slot server at ${socketPath} went away`)))
      socket.setEncoding('utf8').once('data', () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
      socket.write(`${weight}\n`)
    })
    return await task()
  } finally {
    socket.destroy()
  }
}
