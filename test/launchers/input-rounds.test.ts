// 2026-07-28's multi-round-trip requests: the host's own `client.elicitation` handler answers the
// server's `input_required` round (and, on 2025-11-25, the same server's `elicitation/create`
// request); each round and retry is on the wire. The bundled weather server's `subscribe_alerts`.
import { describe, expect, test } from 'vitest'
import { validateHostConfig } from '../../src/host/config/config.js'
import { InputRoundsError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { PROTOCOL_REVISIONS } from '../../src/launchers/client/protocol.js'
import { weatherMemoryServer, weatherServer } from '../../src/servers/index.js'

describe.each([
  ['memory', () => weatherMemoryServer({ alerts: true })],
  ['stdio', () => weatherServer({ alerts: true })],
] as const)('subscribe_alerts over %s', (_transport, server) => {
  test.for(PROTOCOL_REVISIONS)('[%s] the elicitation handler answers the confirmation', async (protocol) => {
    const asked: string[] = []
    await using host = await HostManager.start({
      protocol,
      servers: { weather: server() },
      client: {
        elicitation: (params) => {
          asked.push(params.message)
          return { action: 'accept', content: { confirm: true } }
        },
      },
    })
    expect(host.server('weather').era).toBe(protocol)
    const result = await host.callTool('subscribe_alerts', { location: 'Oslo' })
    expect(result.content).toEqual([{ type: 'text', text: 'Subscribed to weather alerts for Oslo' }])
    expect(asked).toHaveLength(1)
    // A round only on 2026-07-28; on 2025-11-25 the same question was an ordinary request.
    const marks = host.entries[0]?.timeline.events.filter((e) => e.event.startsWith('round')) ?? []
    expect(marks.map((e) => [e.event, e.detail])).toEqual(
      protocol === '2026-07-28'
        ? [['round 1 elicitation/create', 'tools/call subscribe_alerts: confirm=elicitation/create']]
        : [],
    )
  })
})

describe('maxRounds', () => {
  /** A v2 server whose `ask` tool asks for input in every round, however it is answered. */
  async function askingForever() {
    const { McpServer, inputRequired } = await import('@modelcontextprotocol/server')
    const { z } = await import('zod')
    const server = new McpServer({ name: 'asking', version: '1.0.0' })
    server.registerTool('ask', { inputSchema: z.object({}) }, () =>
      inputRequired({
        inputRequests: {
          again: inputRequired.elicit({
            message: 'once more?',
            requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
          }),
        },
      }),
    )
    return server
  }

  test.for([{ maxRounds: 3 }, { maxRounds: undefined }])(
    'a server asking forever: the handler is called maxRounds ($maxRounds) times, then InputRoundsError',
    async ({ maxRounds }) => {
      let calls = 0
      await using host = await HostManager.start({
        protocol: '2026-07-28',
        servers: { asking: { transport: 'memory', server: askingForever } },
        client: {
          elicitation: () => {
            calls++
            return { action: 'accept', content: { ok: true } }
          },
          ...(maxRounds !== undefined && { maxRounds }),
        },
      })
      const error = await host.callTool('ask').catch((e: unknown) => e)
      const rounds = maxRounds ?? 10
      expect(error).toBeInstanceOf(InputRoundsError)
      expect(error).toMatchObject({ server: 'asking', method: 'tools/call', rounds })
      expect((error as Error).message).toBe(
        `Server "asking" still asked for input after ${rounds} rounds of tools/call ask (client.maxRounds is ${rounds}); ` +
          'the request was given up. Make the server finish in fewer rounds, or raise client.maxRounds.',
      )
      expect(calls).toBe(rounds)
      // Every round in the server's timeline; the one past maxRounds says it was not answered.
      const marks = host.entries[0]?.timeline.events.filter((e) => e.event.startsWith('round')) ?? []
      expect(marks.map((e) => e.event)).toEqual(
        Array.from({ length: rounds + 1 }, (_, i) => `round ${i + 1} elicitation/create`),
      )
      expect(marks.at(-1)?.detail).toBe(
        `tools/call ask: again=elicitation/create; not answered (client.maxRounds is ${rounds})`,
      )
    },
  )

  test('client.maxRounds must be a whole number of 1 or more: a ConfigError at its path', () => {
    expect(() => validateHostConfig({ servers: {}, client: { maxRounds: 0 } } as never)).toThrow(
      /client\.maxRounds: expected a whole number of rounds, 1 or more/,
    )
  })
})

describe('rounds of calls in flight at once', () => {
  /**
   * A v2 server whose `ask` tool asks once per call, then asks again on the first two retries to
   * arrive (whichever call sent them) and finishes on later ones. Its questions carry no
   * requestState: every round and every retry of two identical calls looks the same on the wire.
   */
  async function askingByArrival() {
    const { McpServer, inputRequired } = await import('@modelcontextprotocol/server')
    const { z } = await import('zod')
    const server = new McpServer({ name: 'asking', version: '1.0.0' })
    let retries = 0
    const ask = () =>
      inputRequired({
        inputRequests: {
          q: inputRequired.elicit({
            message: 'go on?',
            requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
          }),
        },
      })
    server.registerTool('ask', { inputSchema: z.object({}) }, (_args, ctx) => {
      if (ctx.mcpReq.inputResponses === undefined) return ask()
      retries++
      return retries <= 2 ? ask() : { content: [{ type: 'text', text: 'done' }] }
    })
    return server
  }

  test('two identical calls: each retry goes with its own call, so the rounds count per call', async () => {
    // The first question waits until the other call has finished: that call goes through rounds
    // 1, 2 and 3 while the first one still has its round 1 open, looking exactly like them.
    let asked = 0
    let releaseFirst!: () => void
    const firstMayAnswer = new Promise<void>((resolve) => {
      releaseFirst = resolve
    })
    await using host = await HostManager.start({
      protocol: '2026-07-28',
      servers: { asking: { transport: 'memory', server: askingByArrival } },
      client: {
        elicitation: async () => {
          if (++asked === 1) await firstMayAnswer
          return { action: 'accept', content: { ok: true } }
        },
      },
    })
    const calls = [host.callTool('ask'), host.callTool('ask')]
    await Promise.race(calls)
    releaseFirst()
    const results = await Promise.all(calls)
    expect(results.map((r) => r.content)).toEqual([
      [{ type: 'text', text: 'done' }],
      [{ type: 'text', text: 'done' }],
    ])
    expect(asked).toBe(4)
    const marks = host.entries[0]?.timeline.events.filter((e) => e.event.startsWith('round')) ?? []
    // Paired by content, the second call's third round would have taken the first call's open
    // round 1 for its own and been counted as round 2.
    expect(marks.map((e) => e.event)).toEqual([
      'round 1 elicitation/create',
      'round 1 elicitation/create',
      'round 2 elicitation/create',
      'round 3 elicitation/create',
    ])
  })
})
