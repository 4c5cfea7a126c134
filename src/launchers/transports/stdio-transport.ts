// An SDK Transport over a ServerProcess's stdin/stdout, on the SDK's own stdio framing.

import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client'
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/client'
import { ResponseIds } from '../client/response-ids.js'
import { type DroppedLine, LineSplitter } from '../output/line-splitter.js'
import { MAX_MESSAGE_BYTES } from '../output/message-limit.js'
import { NOT_JSON, NOT_JSON_RPC, type StdoutNoise, shownLine } from '../output/stdout-noise.js'
import type { ServerProcess } from '../processes/server-process.js'
import type { StopReport } from '../processes/terminate.js'
import type { ShutdownOptions } from '../server-config.js'
import { settlesWithin } from '../util/wait.js'

/**
 * The longest stdout line read (the limit of every transport's messages); a longer one is dropped
 * with a note, and reading goes on after it.
 */
export const MAX_LINE_BYTES = MAX_MESSAGE_BYTES
/** After the exit, how long buffered stdout may still deliver responses before we call it closed. */
const STDOUT_DRAIN_MS = 100

// Bytes a JSON text can start with (after white space): anything else is not JSON, seen at once.
const JSON_START = new Set([...'{["-0123456789tfn'].map((c) => c.charCodeAt(0)))
const WHITE_SPACE = new Set([...' \t\r'].map((c) => c.charCodeAt(0)))

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
  readonly #lines = new LineSplitter(
    MAX_LINE_BYTES,
    (line) => this.#deliver(line),
    (dropped) => this.#dropped(dropped),
  )
  readonly #ids = new ResponseIds()
  #notedUnknownId = false
  #closed = false
  #stopReport: Promise<StopReport> | undefined
  #drained: Promise<void> | undefined

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
    // Bytes, not text: lines are split on the newline byte and only what is used gets decoded.
    stdout.on('data', (chunk: Buffer) => this.#lines.push(chunk))
    const ended = new Promise((resolve) => stdout.once('close', resolve))
    void this.#proc.exited.then(async () => {
      await settlesWithin(ended, STDOUT_DRAIN_MS)
      this.#fireClose()
    })
    void ended.then(() => this.#stdoutEnded())
  }

  /**
   * Stdout closed: the server can answer nothing more. Usually it is exiting (the exit path above
   * reports that); if it still runs once the exit had time to arrive, it is over as a server all the
   * same: its pending requests fail now, not at their timeouts, and the process is stopped.
   */
  async #stdoutEnded(): Promise<void> {
    if (this.#closed || this.#proc.stopping) return
    if (await settlesWithin(this.#proc.exited, STDOUT_DRAIN_MS)) return
    if (this.#closed || this.#proc.stopping) return
    // First `ended`, then (a turn of the event loop later, so its owner has surely marked it
    // crashed) the close that rejects what is pending: they then fail as a crash, ServerExitError.
    this.#proc.stdoutClosed()
    await new Promise((resolve) => setImmediate(resolve))
    this.#fireClose()
    // Its report is what `stop()` returns to the owner later; nobody awaits it here.
    this.stop().catch(() => {})
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#proc.child.stdin
    if (this.#closed || !this.#proc.running || !stdin.writable) {
      throw new Error(`server "${this.#proc.name}" is not running`)
    }
    this.#ids.sent(message)
    if (!stdin.write(serializeMessage(message))) await this.#drain()
  }

  /**
   * Resolves when stdin drains, or ends (a server that stopped reading and exited never drains).
   * One wait, shared by every send that found the pipe full: two listeners however many sends wait
   * (a server sending 10,000 requests gets 10,000 answers at once).
   */
  #drain(): Promise<void> {
    const stdin = this.#proc.child.stdin
    this.#drained ??= new Promise<void>((resolve) => {
      const done = () => {
        stdin.off('drain', done)
        stdin.off('close', done)
        this.#drained = undefined
        resolve()
      }
      stdin.on('drain', done)
      stdin.on('close', done)
    })
    return this.#drained
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

  #deliver(line: Buffer): void {
    let start = 0
    while (start < line.length && WHITE_SPACE.has(line[start] as number)) start++
    if (start === line.length) return // a blank line
    if (!JSON_START.has(line[start] as number)) {
      this.#onNoise({ line: shownLine(line), reason: NOT_JSON, bytes: line.length })
      return
    }
    let message: JSONRPCMessage
    try {
      message = deserializeMessage(line.toString('utf8'))
    } catch (error) {
      const reason = error instanceof SyntaxError ? NOT_JSON : NOT_JSON_RPC
      this.#onNoise({ line: shownLine(line), reason, bytes: line.length })
      return
    }
    if (!this.#ids.received(message)) this.#unknownId(message, line)
    this.onmessage?.(message)
  }

  /** The first response to an id no request had goes on record; the SDK then drops it unseen. */
  #unknownId(message: JSONRPCMessage, line: Buffer): void {
    if (this.#notedUnknownId) return
    this.#notedUnknownId = true
    const id = JSON.stringify((message as { id?: unknown }).id)
    this.#proc.timeline.record('unknown-response-id', `id ${id}: ${shownLine(line)}`)
    this.#proc.stderr.push(
      `[stdout, a response to id ${id}, which no request had; dropped (later ones are not noted)] ${shownLine(line)}\n`,
    )
  }

  #dropped({ bytes, head }: DroppedLine): void {
    const reason = `over ${MAX_LINE_BYTES / 1024 / 1024} MiB long, so it was dropped (later lines are read)`
    this.#onNoise({ line: `${shownLine(head)}…`, reason, bytes })
  }

  #fireClose(): void {
    if (this.#closed) return
    this.#closed = true
    this.onclose?.()
  }
}
