// 'exit-on-discover': a legacy-only server that exits (code 1, one line on stderr) when its first message
// is not `initialize`, as rmcp-based servers do on a `server/discover` probe.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server'
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio'
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

function describe(message: JSONRPCMessage): string {
  return 'method' in message ? JSON.stringify(message.method) : 'a response'
}

// Looks at the first message only; every later one passes straight through.
class FirstMessageMustInitialize implements Transport {
  onclose?: Transport['onclose']
  onerror?: Transport['onerror']
  onmessage?: Transport['onmessage']
  private first = true

  constructor(private readonly inner: Transport) {}

  async start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      if (this.first) {
        this.first = false
        if (!('method' in message) || message.method !== 'initialize') {
          // stderr on a pipe is written synchronously on POSIX, so the line is out before exit.
          process.stderr.write(
            `exit-on-discover: first message was ${describe(message)}, not "initialize"; exiting (deliberate)\n`,
          )
          process.exit(1)
        }
      }
      this.onmessage?.(message, extra)
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

export async function run(_options: MisbehaviourOptions): Promise<void> {
  const transport = new FirstMessageMustInitialize(new StdioServerTransport())
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-exit-on-discover' }), {
    eras: 'legacy-only',
    transport,
  })
}
