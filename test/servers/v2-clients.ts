// Raw SDK v2 clients (`@modelcontextprotocol/client`) on each protocol revision, over the transports
// the bundled servers are served on: what the tests of test/servers speak to them with.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { MessageChannel } from 'node:worker_threads'
import {
  type CallToolResult,
  Client,
  type ElicitRequest,
  type ElicitResult,
  InMemoryTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { type ServerLike, serveInProcess } from '../../src/launchers/transports/serve-in-process.js'
import { MessagePortTransport } from '../../src/launchers/transports/worker/message-port-transport.js'
import { moduleUrl } from '../../src/launchers/transports/worker/worker.js'
import type { WorkerTask } from '../../src/launchers/transports/worker/worker-entry.js'
import { workerEntry, workerPool } from '../../src/launchers/transports/worker/worker-pool.js'

/** One protocol revision as a raw v2 client asks for it, and what the connection must land on. */
export interface Revision {
  readonly revision: '2025-11-25' | '2026-07-28'
  readonly mode: 'legacy' | { pin: '2026-07-28' }
  readonly era: 'legacy' | 'modern'
}

/** Both revisions, oldest first: `test.for(REVISIONS)('… [$revision]', …)`. */
export const REVISIONS: readonly Revision[] = [
  { revision: '2025-11-25', mode: 'legacy', era: 'legacy' },
  { revision: '2026-07-28', mode: { pin: '2026-07-28' }, era: 'modern' },
]

/** What the client's `elicitation/create` handler saw, and how it answers. */
export interface Asker {
  readonly asked: ElicitRequest['params'][]
  answer: ElicitResult
}

/** A v2 client on `revision`; with `asker`, it declares form + URL elicitation and answers with it. */
export function v2Client({ mode }: Revision, asker?: Asker): Client {
  const client = new Client(
    { name: 'servers-test', version: '1.0.0' },
    {
      versionNegotiation: { mode },
      ...(asker ? { capabilities: { elicitation: { form: {}, url: {} } } } : {}),
    },
  )
  if (asker) {
    client.setRequestHandler('elicitation/create', (request) => {
      asker.asked.push(request.params)
      return asker.answer
    })
  }
  return client
}

/** An asker that accepts with `content`. */
export function accepting(content: Record<string, string | number | boolean>): Asker {
  return { asked: [], answer: { action: 'accept', content } }
}

/** The one text of a tool result. */
export function textOf(result: unknown): string {
  const content = (result as CallToolResult).content
  const [first] = content
  if (content.length !== 1 || first?.type !== 'text')
    throw new Error(`not one text: ${JSON.stringify(content)}`)
  return first.text
}

/** A connected client and how to close everything behind it. */
export interface Connection {
  readonly client: Client
  close(): Promise<void>
}

/**
 * The SDK's StdioClientTransport as any other transport. Given the base class itself, a v2 client that
 * negotiates (a pin) probes in a second, short-lived server process, then spawns the session's; wrapped,
 * it probes in place on the one connection, as the host's own transport does (`pid` and `stderr` make
 * it a stdio-kind transport for the SDK).
 */
class InPlace implements Transport {
  onclose?: Transport['onclose']
  onerror?: Transport['onerror']
  onmessage?: Transport['onmessage']

  constructor(private readonly inner: StdioClientTransport) {}

  get pid(): number | null {
    return this.inner.pid
  }
  get stderr(): unknown {
    return this.inner.stderr
  }
  start(): Promise<void> {
    this.inner.onmessage = (message) => this.onmessage?.(message)
    this.inner.onclose = () => this.onclose?.()
    this.inner.onerror = (error) => this.onerror?.(error)
    return this.inner.start()
  }
  send: Transport['send'] = (message) => this.inner.send(message)
  close(): Promise<void> {
    return this.inner.close()
  }
}

/** Spawns `args` with this Node over stdio (the SDK's transport: the child is its own), one process. */
export async function overStdio(args: string[], client: Client): Promise<Connection> {
  const transport = new InPlace(new StdioClientTransport({ command: process.execPath, args, stderr: 'pipe' }))
  await client.connect(transport)
  return { client, close: () => client.close() }
}

/** Spawns an HTTP server bundle on a free port (PORT=0), reads its URL from stderr, connects. */
export async function overHttp(args: string[], client: Client): Promise<Connection & { url: URL }> {
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0' },
    stdio: 'pipe',
  })
  const exited = once(child, 'exit')
  try {
    const url = await listening(child)
    await client.connect(new StreamableHTTPClientTransport(url))
    return {
      client,
      url,
      close: async () => {
        await client.close()
        child.kill('SIGTERM')
        await exited
      },
    }
  } catch (error) {
    child.kill('SIGKILL')
    await exited
    throw error
  }
}

function listening(child: ChildProcess): Promise<URL> {
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  return new Promise<URL>((resolve, reject) => {
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk
      const match = /listening on (\S+)/.exec(stderr)
      if (match?.[1]) resolve(new URL(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)))
  })
}

/** Serves `made` in this thread as the memory launcher does (serveInProcess) and connects. */
export async function inMemory(made: ServerLike, again: () => unknown, client: Client): Promise<Connection> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  const served = await serveInProcess(made, serverSide, { again })
  await client.connect(clientSide)
  return {
    client,
    close: async () => {
      await client.close()
      await served.close()
    },
  }
}

/** Runs the factory `module#exportName` in a pool thread through the real worker entry and connects. */
export async function inWorker(
  module: string,
  client: Client,
  options: { exportName?: string; workerData?: unknown } = {},
): Promise<Connection> {
  const { port1, port2 } = new MessageChannel()
  const transport = new MessagePortTransport(port1, {})
  const task: WorkerTask = {
    module: moduleUrl(module),
    exportName: options.exportName ?? 'default',
    workerData: options.workerData,
    files: undefined,
    port: port2,
  }
  const running = workerPool(false).run(task, { filename: workerEntry(), transferList: [port2] })
  await client.connect(transport as Transport)
  return {
    client,
    close: async () => {
      await client.close()
      // The task ends when the thread's server has closed behind the closed port.
      await running
    },
  }
}
