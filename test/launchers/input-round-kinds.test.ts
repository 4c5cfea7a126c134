// 2026-07-28's input_required rounds beyond the bundled confirmation: each round in the server's
// timeline, `requestState` echoed untouched, every kind (URL elicitation, sampling, roots/list)
// answered by the host's `client.*` handlers, and a handler still running at its test's end a leak.
import { describe, expect, test } from 'vitest'
import { closeAndJudge } from '../../src/fixtures/judge.js'
import type { ClientConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { LeakError, runAttributed } from '../../src/scope/index.js'

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

  test('two calls in rounds at once: each retry counts on from its own call', async () => {
    await using host = await hostWith(twoRounds, {
      elicitation: () => ({ action: 'accept', content: {} }),
      roots: [],
    })
    await Promise.all([host.callTool('ask'), host.callTool('ask')])
    const rounds = host.entries[0]?.timeline.events.filter((e) => e.event.startsWith('round'))
    expect(rounds?.map((e) => e.event).sort()).toEqual([
      'round 1 elicitation/create',
      'round 1 elicitation/create',
      'round 2 roots/list',
      'round 2 roots/list',
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

describe('every kind is answered by the client.* handlers', () => {
  /** One round asking `request`, then the tool answers with what came back for it. */
  const asking =
    (request: (ir: typeof import('@modelcontextprotocol/server').inputRequired) => unknown) =>
    ({ inputRequired }: typeof import('@modelcontextprotocol/server')): Handler =>
      ((_args: unknown, ctx: { mcpReq: { inputResponses?: Record<string, unknown> } }) => {
        const answer = ctx.mcpReq.inputResponses?.it
        if (answer) return text(answer)
        return inputRequired({ inputRequests: { it: request(inputRequired) as never } })
      }) as Handler

  test('a URL elicitation reaches client.elicitation in url mode; its answer reaches the server', async () => {
    const seen: unknown[] = []
    await using host = await hostWith(
      asking((ir) => ir.elicitUrl({ message: 'sign in', url: 'https://example.com/login' })),
      {
        elicitation: (params) => {
          seen.push(params)
          return { action: 'accept' }
        },
      },
    )
    expect(answerOf(await host.callTool('ask'))).toEqual({ action: 'accept' })
    // 2026-07-28's embedded URL elicitation has no elicitationId (the SDK's elicitUrl omits it).
    expect(seen).toEqual([{ mode: 'url', message: 'sign in', url: 'https://example.com/login' }])
    const rounds = host.entries[0]?.timeline.events.filter((e) => e.event.startsWith('round'))
    expect(rounds?.map((e) => e.event)).toEqual(['round 1 elicitation/create (url)'])
    // That shape is 2026-07-28's own (no elicitationId): the wire check finds nothing wrong with it.
    expect(host.wireLedger.list()).toEqual([])
  })

  test('a sampling request reaches client.sampling; its message reaches the server', async () => {
    const reply = { role: 'assistant', content: { type: 'text', text: 'sunny' }, model: 'm' } as const
    const asked: unknown[] = []
    await using host = await hostWith(
      asking((ir) =>
        ir.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: 'weather?' } }],
          maxTokens: 9,
        }),
      ),
      {
        sampling: (params) => {
          asked.push(params.messages)
          return reply
        },
      },
    )
    expect(answerOf(await host.callTool('ask'))).toMatchObject(reply)
    expect(asked).toEqual([[{ role: 'user', content: { type: 'text', text: 'weather?' } }]])
  })

  test('roots/list is answered from client.roots, and from setRoots() for later rounds', async () => {
    await using host = await hostWith(
      asking((ir) => ir.listRoots()),
      { roots: [{ uri: 'file:///a' }] },
    )
    expect(answerOf(await host.callTool('ask'))).toEqual({ roots: [{ uri: 'file:///a' }] })
    await host.setRoots([{ uri: 'file:///b', name: 'b' }])
    expect(answerOf(await host.callTool('ask'))).toEqual({ roots: [{ uri: 'file:///b', name: 'b' }] })
    // 2026-07-28 has no roots/list_changed: nothing is sent, so nothing failed to be sent.
    const events = host.entries[0]?.timeline.events.map((e) => e.event) ?? []
    expect(events.filter((e) => e.startsWith('roots-list-changed'))).toEqual([])
  })
})

test("a handler still answering a round when its test is judged is that test's LeakError; its signal aborts", async () => {
  let entered: (signal: AbortSignal) => void = () => {}
  const inHandler = new Promise<AbortSignal>((resolve) => {
    entered = resolve
  })
  const host = await hostWith(
    ({ inputRequired }) =>
      (() =>
        inputRequired({
          inputRequests: {
            s: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
              maxTokens: 5,
            }),
          },
        })) as Handler,
    {
      // Never answers until aborted.
      sampling: (_params, { signal }) => {
        entered(signal)
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
      },
    },
  )
  const run = { label: 'test "hangs in a round"', shared: false }
  runAttributed(run, () => void host.callTool('ask').catch(() => {}))
  const signal = await inHandler
  expect(host.pendingRequests.map((r) => [r.kind, r.label, r.attribution])).toEqual([
    ['request', 'tools/call ask', run],
    ['handler', 'sampling/createMessage from server "rounds"', run],
  ])
  const { problems } = await closeAndJudge(host, run.label, { timeoutMs: 5000 })
  const [leak] = problems
  expect(leak).toBeInstanceOf(LeakError)
  expect((leak as LeakError).leaks.map((l) => [l.kind, l.label])).toEqual([
    ['request', 'tools/call ask'],
    ['handler', 'sampling/createMessage from server "rounds"'],
  ])
  expect(signal.aborted).toBe(true)
})
