// 'slow-start': answers initialize only after delayMs, while still reading stdin so it exits when stdin ends.

import type { Transport } from '@modelcontextprotocol/server'
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio'
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

// Delays delivery of incoming messages, not the connection: stdin keeps flowing, so its end is still seen.
class DelayedTransport implements Transport {
  onclose?: Transport['onclose']
  onerror?: Transport['onerror']
  onmessage?: Transport['onmessage']

  constructor(
    private readonly inner: Transport,
    private readonly ready: Promise<void>,
  ) {}

  async start(): Promise<void> {
    // Every message waits on the same promise, so their order is kept.
    this.inner.onmessage = (message, extra) => {
      void this.ready.then(() => this.onmessage?.(message, extra))
    }
    this.inner.onclose = () => this.onclose?.()
    this.inner.onerror = (error) => this.onerror?.(error)
    await this.inner.start()
  }

  send: Transport['send'] = (message, options) => this.inner.send(message, options)
  close(): Promise<void> {
    return this.inner.close()
  }
}

export async function run({ delayMs }: MisbehaviourOptions): Promise<void> {
  // Counted from process start: the server is slow to become ready, however early the client asks.
  const ready = new Promise<void>((resolve) => setTimeout(resolve, delayMs))
  const transport = new DelayedTransport(new StdioServerTransport(), ready)
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-slow-start' }), { transport })
}
