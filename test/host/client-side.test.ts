// The host's client side on in-process transports (memory and worker): the client info and exactly
// the capabilities it has handlers for, handlers answering each server with `{ server }`, and what a
// failing or invalid handler answers. server-everything over stdio and HTTP: test/third-party.
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { closeAndJudge } from '../../src/fixtures/judge.js'
import type { ClientConfig, ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { LeakError, runAttributed } from '../../src/scope/index.js'
import { HOST_INFO } from '../../src/version.js'

const SERVERS = fileURLToPath(new URL('../support/worker-servers/servers.mjs', import.meta.url))

const asking = async (): Promise<ServerConfig> => ({
  transport: 'memory',
  server: (await import(SERVERS)).asking,
})
const askingWorker: ServerConfig = { transport: 'worker', module: SERVERS, export: 'asking' }

function answer(result: { content?: unknown }): unknown {
  const [first] = (result.content ?? []) as Array<{ text?: string }>
  return JSON.parse(first?.text ?? 'null')
}

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n')
}

describe('what the host declares', () => {
  test('without client config: our info, no capabilities; with handlers: exactly those, and the given info', async () => {
    await using bare = await HostManager.start({ servers: { a: await asking() } })
    expect(answer(await bare.callTool('whoami'))).toEqual({ info: { ...HOST_INFO }, capabilities: {} })

    const only: ClientConfig = {
      sampling: () => ({ role: 'assistant', content: { type: 'text', text: '' }, model: 'm' }),
    }
    await using sampling = await HostManager.start({ servers: { a: await asking() }, client: only })
    // A sampling request may ask to run as a task: the host can (client-tasks.ts).
    expect(answer(await sampling.callTool('whoami'))).toEqual({
      info: { ...HOST_INFO },
      capabilities: {
        sampling: {},
        tasks: { list: {}, cancel: {}, requests: { sampling: { createMessage: {} } } },
      },
    })

    const all: ClientConfig = {
      name: 'my-client',
      version: '2.0.0',
      ...only,
      elicitation: () => ({ action: 'cancel' }),
      roots: [],
    }
    await using full = await HostManager.start({ servers: { a: await asking() }, client: all })
    expect(answer(await full.callTool('whoami'))).toEqual({
      info: { name: 'my-client', version: '2.0.0' },
      // One elicitation handler answers both modes, form and URL.
      capabilities: {
        sampling: {},
        elicitation: { form: {}, url: {} },
        roots: { listChanged: true },
        tasks: {
          list: {},
          cancel: {},
          requests: { sampling: { createMessage: {} }, elicitation: { create: {} } },
        },
      },
    })
  })
})

describe.each([
  ['memory', asking],
  ['worker', async () => askingWorker],
])('handlers over %s', (_transport, config) => {
  test('each server is answered with its own name; roots follow setRoots; errors answer the server and are kept', async () => {
    const seen: string[] = []
    let fail = false
    const client: ClientConfig = {
      sampling: (params, { server }) => {
        seen.push(server)
        if (fail) throw new Error(`sampling refused for ${server}`)
        const content = params.messages[0]?.content
        const prompt = content && !Array.isArray(content) && content.type === 'text' ? content.text : ''
        return { role: 'assistant', content: { type: 'text', text: `${server} heard ${prompt}` }, model: 'm' }
      },
      // Not an ElicitResult.
      elicitation: () => ({ action: 'accept', content: { name: { nested: true } } }) as never,
      roots: [{ uri: 'file:///one' }],
    }
    await using host = await HostManager.start({ servers: { a: await config(), b: await config() }, client })
    const a = answer(await host.callTool('sample', { prompt: 'hi' }, { server: 'a' }))
    const b = answer(await host.callTool('sample', { prompt: 'yo' }, { server: 'b' }))
    expect(a).toMatchObject({ content: { text: 'a heard hi' } })
    expect(b).toMatchObject({ content: { text: 'b heard yo' } })
    expect(seen).toEqual(['a', 'b'])

    expect(answer(await host.callTool('roots', {}, { server: 'a' }))).toEqual({
      roots: [{ uri: 'file:///one' }],
    })
    await host.setRoots([{ uri: 'file:///two', name: 'two' }])
    expect(answer(await host.callTool('roots', {}, { server: 'b' }))).toEqual({
      roots: [{ uri: 'file:///two', name: 'two' }],
    })
    for (const entry of host.entries) {
      expect(entry.timeline.events.map((e) => e.event)).toContain('roots-list-changed')
    }
    // A server added later is answered the current roots.
    await host.addServer('c', await config())
    expect(answer(await host.callTool('roots', {}, { server: 'c' }))).toEqual({
      roots: [{ uri: 'file:///two', name: 'two' }],
    })

    fail = true
    const refused = await host.callTool('sample', { prompt: 'x' }, { server: 'b' })
    expect(refused.isError).toBe(true)
    expect(textOf(refused)).toContain('sampling refused for b')
    const invalid = await host.callTool('elicit', {}, { server: 'a' })
    expect(invalid.isError).toBe(true)
    expect(textOf(invalid)).toContain('the elicitation/create handler returned an invalid result')

    const errors = (name: string) =>
      host.entries
        .find((e) => e.name === name)
        ?.timeline.events.filter((e) => e.event === 'handler-error')
        .map((e) => e.detail)
    expect(errors('b')).toEqual(['sampling/createMessage: sampling refused for b'])
    expect(errors('a')).toEqual([
      expect.stringMatching(/^elicitation\/create: the elicitation\/create handler returned/),
    ])
  })
})

describe('handler calls are tracked like requests', () => {
  test("a handler still answering when its test is judged is that test's leak, and its ctx.signal aborts", async () => {
    let entered: (signal: AbortSignal) => void = () => {}
    const inHandler = new Promise<AbortSignal>((resolve) => {
      entered = resolve
    })
    const host = await HostManager.start({
      servers: { a: await asking() },
      client: {
        // Never answers until aborted.
        sampling: (_params, { signal }) => {
          entered(signal)
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
        },
      },
    })
    const run = { label: 'test "hangs in sampling"', shared: false }
    runAttributed(run, () => void host.callTool('sample', { prompt: 'hi' }).catch(() => {}))
    const signal = await inHandler
    expect(host.pendingRequests.map((r) => [r.kind, r.label, r.attribution])).toEqual([
      ['request', 'tools/call sample', run],
      ['handler', 'sampling/createMessage from server "a"', run],
    ])
    const { problems } = await closeAndJudge(host, run.label, { timeoutMs: 5000 })
    const [leak] = problems
    expect(leak).toBeInstanceOf(LeakError)
    expect((leak as LeakError).leaks.map((l) => [l.kind, l.label])).toEqual([
      ['request', 'tools/call sample'],
      ['handler', 'sampling/createMessage from server "a"'],
    ])
    expect((leak as LeakError).message).toContain(
      'make it resolve before the test ends, or end it when ctx.signal aborts',
    )
    expect(signal.aborted).toBe(true)
  })
})
