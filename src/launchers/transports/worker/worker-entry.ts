// Runs inside a pool thread (bundled to dist/src/launchers/worker-entry.js): one task serves one
// MCP server over the task's MessagePort until the host closes it.
import { inspect } from 'node:util'
import type { MessagePort } from 'node:worker_threads'
import { threadId } from 'node:worker_threads'
import { isServerLike, serveInProcess } from '../serve-in-process.js'
import { MessagePortTransport, type PortEnvelope } from './message-port-transport.js'
import { mountVolume } from './worker-volume.js'

/** What the host sends to start a server: all of it structured-cloneable, the port transferred. */
export interface WorkerTask {
  /** A file: URL. */
  readonly module: string
  readonly exportName: string
  readonly workerData: unknown
  readonly files: Record<string, string> | undefined
  readonly port: MessagePort
}

// The port this thread's stdout and stderr go to now: one server per thread at a time.
let outputPort: MessagePort | undefined

/** Sends what the thread writes to stdout and stderr (console too) to the current server's host. */
function captureOutput(): void {
  if ((globalThis as { __vitestMcpHostOutput?: true }).__vitestMcpHostOutput) return
  ;(globalThis as { __vitestMcpHostOutput?: true }).__vitestMcpHostOutput = true
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream)
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (!outputPort) return original(chunk as string, ...(rest as []))
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
      outputPort.postMessage({ kind: 'output', text } satisfies PortEnvelope)
      const done = rest.find((item) => typeof item === 'function') as (() => void) | undefined
      if (done) queueMicrotask(done)
      return true
    }) as typeof stream.write
  }
}

/** The task: resolves when the host has closed the port and the server has closed. */
export default async function serve(task: WorkerTask): Promise<void> {
  const { port } = task
  // Listened for first: the host may close the port while the module is still loading.
  const closed = new Promise<void>((resolve) => {
    port.once('close', () => resolve())
  })
  outputPort = port
  captureOutput()
  port.postMessage({ kind: 'thread', threadId } satisfies PortEnvelope)
  try {
    // Mounted first: the server's module and its dependencies get the volume for `fs`, however
    // they hold it (they still load from the disk). A thread with a volume serves one server only.
    const snapshot = task.files ? await mountVolume(task.files) : undefined
    const loaded = (await import(task.module)) as Record<string, unknown>
    const factory = loaded[task.exportName]
    if (typeof factory !== 'function') {
      const exported = Object.keys(loaded).join(', ') || 'nothing'
      throw new Error(`${task.module} has no function export "${task.exportName}" (it exports: ${exported})`)
    }
    const server: unknown = await factory(task.workerData)
    if (!isServerLike(server)) {
      const shown = inspect(server, { depth: 0, breakLength: Number.POSITIVE_INFINITY, maxStringLength: 60 })
      throw new Error(
        `the factory "${task.exportName}" returned ${shown}, not an McpServer (or a Promise of one)`,
      )
    }
    let lastFiles = snapshot && JSON.stringify(snapshot())
    const transport: MessagePortTransport = new MessagePortTransport(port, {
      // Before each answer: the files as they are now, so the host has them when the call returns.
      beforeSend: snapshot
        ? () => {
            const files = snapshot()
            const text = JSON.stringify(files)
            if (text === lastFiles) return
            lastFiles = text
            transport.post({ kind: 'files', files })
          }
        : undefined,
    })
    // An SDK v2 server on both revisions, the factory called again for a further instance; others 2025-11-25.
    const served = await serveInProcess(server, transport, {
      again: () => factory(task.workerData),
      onerror: (error) => process.stderr.write(`server: ${error.message}\n`),
    })
    await closed
    await served.close()
  } finally {
    outputPort = undefined
  }
}
