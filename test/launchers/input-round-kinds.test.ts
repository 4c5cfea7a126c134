// 2026-07-28's input_required rounds beyond the bundled confirmation: each round in the server's
// timeline, `requestState` echoed untouched, every kind (URL elicitation, sampling, roots/list)
// answered by the host's `client.*` handlers, and a handler still running at its test's end a leak.
import { describe, expect, test } from 'vitest'
import type { ClientConfig } from '../../src/host/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'

type Server = import('@modelcontextprotocol/server').McpServer
type Handler = Parameters<Server['registerTool']>[2]

/** A 2026-07-28 host on one memory server whose `ask` tool is `handler`. */
async function hostWith(
  handler: (sdk: typeof import('@modelcontextprotocol/server')) => Handler,
  client: ClientConfig,
) {
  const sdk = await import('@modelcontextprotocol/server')
  const { z } = await import('zod')
  const server = () => {
    const s = new sdk.McpServer({ name: 'rounds', version: '1.0.0' })
    s.registerTool('ask', { inputSchema: z.object({}) }, handler(sdk))
    return s
  }
  return HostManager.start({
    protocol: '2026-07-28',
    servers: { rounds: { transport: 'memory', server } },
    client,
  })
}

const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] })
const answerOf = (result: { content?: unknown }) =>
  JSON.parse(((result.content ?? []) as Array<{ text?: string }>)[0]?.text ?? 'null')

/** Odd bytes on purpose: a client that re-encoded the state would change them. */
const STATE = ' {"step":2,"ü":"ß\\n"} ==\t'

describe('rounds in the timeline, requestState echoed', () => {
  /** Round 1: an elicitation; round 2: roots and a state; then done, reporting what came back. */
  const twoRounds = ({ inputRequired }: typeof import('@modelcontextprotocol/server')): Handler =>
    ((
      _args: unknown,
      ctx: { mcpReq: { inputResponses?: Record<string, unknown>; requestState: () => unknown } },
    ) => {
      const responses = ctx.mcpReq.inputResponses ?? {}
      if ('a' in responses)
        return inputRequired({ inputRequests: { b: inputRequired.listRoots() }, requestState: STATE })
      if ('b' in responses) return text({ state: ctx.mcpReq.requestState(), roots: responses.b })
      return inputRequired({
        inputRequests: {
          a: inputRequired.elicit({ message: 'go?', requestedSchema: { type: 'object', properties: {} } }),
        },
      })
    }) as Handler

  test('each input_required round is a `round N <kinds>` event of the server, with the requests by id', async () => {
    await using host = await hostWith(twoRounds, {
      elicitation: () => ({ action: 'accept', content: {} }),
      roots: [{ uri: 'file:///work', name: 'work' }],
    })
    await host.callTool('ask')
    const rounds = host.entries[0]?.timeline.events.filter((e) => e.event.startsWith('round'))
    expect(rounds?.map((e) => [e.event, e.detail])).toEqual([
      ['round 1 elicitation/create', 'tools/call ask: a=elicitation/create'],
      ['round 2 roots/list', 'tools/call ask: b=roots/list, requestState'],
    ])
  })

  test('requestState comes back to the server byte for byte, with the roots answer', async () => {
    await using host = await hostWith(twoRounds, {
      elicitation: () => ({ action: 'accept', content: {} }),
      roots: [{ uri: 'file:///work', name: 'work' }],
    })
    expect(answerOf(await host.callTool('ask'))).toEqual({
      state: STATE,
      roots: { roots: [{ uri: 'file:///work', name: 'work' }] },
    })
  })
})
