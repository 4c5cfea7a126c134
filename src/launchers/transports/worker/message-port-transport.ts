// An MCP Transport over a worker_threads MessagePort (the SDK has none): one side per thread.
import type { MessagePort } from 'node:worker_threads'
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client'

/**
 * What travels on the port, in order: protocol messages and, from a worker server to its host,
 * the thread's id, its stdout/stderr writes and its in-memory files.
 */
export type PortEnvelope =
  | { readonly kind: 'rpc'; readonly message: JSONRPCMessage }
  | { readonly kind: 'thread'; readonly threadId: number }
  | { readonly kind: 'output'; readonly text: string }
  | { readonly kind: 'files'; readonly files: Record<string, string> }

export interface PortHooks {
  /** Every envelope that is not a protocol message. */
  readonly onEnvelope?: (envelope: PortEnvelope) => void
  /** Runs before each protocol message is posted (a worker posts its changed files first). */
  readonly beforeSend?: () => void
  /**
   * The other side's port closed (its thread ended, or it closed). Without this hook the
   * transport closes at once; with it, the owner calls `close()` when it has recorded why.
   */
  readonly onPortClose?: () => void
}

/**
 * Messages are structured clones, delivered in order. `onclose` fires once, whoever closes.
 *
 * @example
 * const { port1, port2 } = new MessageChannel()
 * await client.connect(new MessagePortTransport(port1)) // port2 goes to the thread serving it
 */
export class MessagePortTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void
  readonly #port: MessagePort
  readonly #hooks: PortHooks
  #closed = false

  constructor(port: MessagePort, hooks: PortHooks = {}) {
    this.#port = port
    this.#hooks = hooks
  }

  get closed(): boolean {
    return this.#closed
  }

  async start(): Promise<void> {
    this.#port.on('message', (envelope: PortEnvelope) => {
      if (envelope.kind === 'rpc') this.onmessage?.(envelope.message)
      else this.#hooks.onEnvelope?.(envelope)
    })
    this.#port.once('close', () => {
      if (this.#closed) return
      if (this.#hooks.onPortClose) this.#hooks.onPortClose()
      else void this.close()
    })
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error('the MessagePort transport is closed')
    this.#hooks.beforeSend?.()
    this.#port.postMessage({ kind: 'rpc', message } satisfies PortEnvelope)
  }

  /** Posts an envelope that is not a protocol message (ignored once closed). */
  post(envelope: PortEnvelope): void {
    if (!this.#closed) this.#port.postMessage(envelope)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#port.close()
    this.onclose?.()
  }
}
