// An SDK Transport over a ServerProcess's stdin/stdout, on the SDK's own stdio framing.
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import type { ShutdownOptions } from '../host/config-types.js'
import type { ServerProcess } from './server-process.js'
import type { StopReport } from './terminate.js'
import { settlesWithin } from './wait.js'

/** A line on stdout that is not a JSON-RPC message: kept and reported, never silently dropped. */
export interface StdoutNoise {
  readonly line: string
  readonly reason: string
}

const MAX_LINE = 64 * 1024 * 1024
/** After the exit, how long buffered stdout may still deliver responses before we call it closed. */
const STDOUT_DRAIN_MS = 100

/**
 * `close()` stops the process (the whole escalation) rather than only ending stdin, and
 * `onclose` fires once, after the process exited and its stdout drained, whoever caused it.
 */
export class StdioProcessTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  readonly #proc: ServerProcess
  readonly #shutdown: Required<ShutdownOptions>
  readonly #onNoise: (noise: StdoutNoise) => void
  #pending = ''
  #closed = false
  #stopReport: Promise<StopReport> | undefined

  constructor(
    proc: ServerProcess,
    shutdown: Required<ShutdownOptions>,
    onNoise: (noise: StdoutNoise) => void,
  ) {
    this.#proc = proc
    this.#shutdown = shutdown
    this.#onNoise = onNoise
  }

  async start(): Promise<void> {
    const stdout = this.#proc.child.stdout
    stdout.setEncoding('utf8')
    stdout.on('data', (text: string) => this.#receive(text))
    const ended = new Promise((resolve) => stdout.once('close', resolve))
    void this.#proc.exited.then(async () => {
      await settlesWithin(ended, STDOUT_DRAIN_MS)
      this.#fireClose()
    })
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#proc.child.stdin
    if (this.#closed || !this.#proc.running || !stdin.writable) {
      throw new Error(`server "${this.#proc.name}" is not running`)
    }
    if (!stdin.write(serializeMessage(message))) {
      await new Promise((resolve) => stdin.once('drain', resolve))
    }
  }

  /** Stops the server process and its group; resolves when all of it is gone. */
  async close(): Promise<void> {
    await this.stop()
  }

  /** Like `close()`, returning how the stop went. */
  stop(): Promise<StopReport> {
    this.#stopReport ??= this.#proc.stop(this.#shutdown).finally(() => this.#fireClose())
    return this.#stopReport
  }

  #receive(text: string): void {
    this.#pending += text
    if (this.#pending.length > MAX_LINE) {
      this.#pending = ''
      this.onerror?.(new Error(`server "${this.#proc.name}" sent a stdout line over ${MAX_LINE} bytes`))
    }
    for (let end = this.#pending.indexOf('\n'); end !== -1; end = this.#pending.indexOf('\n')) {
      const line = this.#pending.slice(0, end).replace(/\r$/, '')
      this.#pending = this.#pending.slice(end + 1)
      if (line.trim() !== '') this.#deliver(line)
    }
  }

  #deliver(line: string): void {
    let message: JSONRPCMessage
    try {
      message = deserializeMessage(line)
    } catch (error) {
      const reason = error instanceof SyntaxError ? 'not JSON' : 'JSON, but not a JSON-RPC message'
      this.#onNoise({ line, reason })
      return
    }
    this.onmessage?.(message)
  }

  #fireClose(): void {
    if (this.#closed) return
    this.#closed = true
    this.onclose?.()
  }
}
