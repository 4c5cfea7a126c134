// A live connection for the wire-check tests: a raw SDK v2 Client whose transport passes every
// message, both ways, through a wire checker first (what the host's WireTap does), and tells it
// the landed version. Host-side handlers answer sampling, elicitation and roots.
import { Client, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client'
import type { WireChecker } from '../../src/wire/check/index.js'

export function checked(inner: Transport, checker: WireChecker): Transport {
  let at = 0
  const outer: Transport = {
    start: () => inner.start(),
    send: (message: JSONRPCMessage, options) => {
      checker.outbound({ dir: 'out', message, at: at++ })
      return inner.send(message, options)
    },
    close: () => inner.close(),
    setProtocolVersion: (version: string) => {
      checker.era(version)
      inner.setProtocolVersion?.(version)
    },
  }
  inner.onmessage = (message, extra) => {
    checker.inbound({ dir: 'in', message, at: at++ })
    outer.onmessage?.(message, extra)
  }
  inner.onclose = () => outer.onclose?.()
  inner.onerror = (e) => outer.onerror?.(e)
  return outer
}

export function hostClient(mode: 'legacy' | { pin: string }): Client {
  const client = new Client(
    { name: 'wire-live', version: '1.0.0' },
    {
      capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } },
      versionNegotiation: { mode },
    },
  )
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'sampled answer' },
    model: 'test-model',
  }))
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { yes: true, name: 'Ada' },
  }))
  client.setRequestHandler('roots/list', async () => ({
    roots: [{ uri: 'file:///tmp/project', name: 'project' }],
  }))
  return client
}

/** A tool call whose failure (an unknown tool) is part of the traffic, not of the test. */
export const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
  client.callTool({ name, arguments: args }).catch((e: unknown) => e)
