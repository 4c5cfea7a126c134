// A server may ask for its sampling or elicitation request to run as a task (MCP tasks): the host
// answers with a task at once, runs the scripted handler in the background, and serves tasks/get,
// tasks/result, tasks/list and tasks/cancel. Against server-everything's async tools:
// test/third-party/server-everything-tasks.test.ts.
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { closeAndJudge } from '../../src/fixtures/judge.js'
import type { ClientConfig, ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { LeakError, runAttributed } from '../../src/scope/index.js'

const SERVERS = fileURLToPath(new URL('../support/worker-servers/servers.mjs', import.meta.url))

const CONFIGS: Record<string, () => Promise<ServerConfig>> = {
  memory: async () => ({ transport: 'memory', server: (await import(SERVERS)).tasking }),
  worker: async () => ({ transport: 'worker', module: SERVERS, export: 'tasking' }),
}

interface Seen {
  taskId: string
  seen: string[]
  listed: string[]
  result?: Record<string, unknown>
  error?: string
}

function seen(result: { content?: unknown }): Seen {
  const [first] = (result.content ?? []) as Array<{ text?: string }>
  return JSON.parse(first?.text ?? 'null') as Seen
}

/** Resolves with the handler's signal once it was called; the handler answers when `release` is called. */
function held() {
  let entered: (signal: AbortSignal) => void = () => {}
  const inHandler = new Promise<AbortSignal>((resolve) => {
    entered = resolve
  })
  const handler = (_params: unknown, { signal }: { signal: AbortSignal }) => {
    entered(signal)
    return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
  }
  return { inHandler, handler }
}

describe.each(Object.keys(CONFIGS))('tasks over %s', (transport) => {
  const config = CONFIGS[transport] as () => Promise<ServerConfig>

  test('sampling and elicitation as tasks: working, then completed, with the handler’s answer for tasks/result', async () => {
    const servers: string[] = []
    const client: ClientConfig = {
      sampling: (params, { server }) => {
        servers.push(server)
        const content = params.messages[0]?.content
        const prompt = content && 'text' in content ? content.text : ''
        return { role: 'assistant', content: { type: 'text', text: `re: ${prompt}` }, model: 'scripted' }
      },
      elicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }),
    }
    await using host = await HostManager.start({ servers: { a: await config() }, client })

    const sampled = seen(await host.callTool('sample-task', { prompt: 'weather?' }))
    expect(sampled.seen).toEqual(['working', 'completed'])
    expect(sampled.listed).toContain(sampled.taskId)
    expect(sampled.result).toMatchObject({
      role: 'assistant',
      content: { type: 'text', text: 're: weather?' },
      model: 'scripted',
    })
    expect(servers).toEqual(['a'])

    const elicited = seen(await host.callTool('elicit-task'))
    expect(elicited.seen).toEqual(['working', 'completed'])
    expect(elicited.result).toMatchObject({ action: 'accept', content: { name: 'Ada' } })
    expect(elicited.listed).toEqual([sampled.taskId, elicited.taskId])
  })

  test('a throwing handler fails its task with its message, kept in the timeline; a bad answer fails it too', async () => {
    let answer: () => unknown = () => {
      throw new Error('no model in this test')
    }
    const client: ClientConfig = { sampling: () => answer() as never }
    await using host = await HostManager.start({ servers: { a: await config() }, client })

    const thrown = seen(await host.callTool('sample-task'))
    expect(thrown.seen).toEqual(['working', 'failed'])
    expect(thrown.error).toContain('no model in this test')

    answer = () => ({ role: 'assistant' })
    const invalid = seen(await host.callTool('sample-task'))
    expect(invalid.seen).toEqual(['working', 'failed'])
    expect(invalid.error).toContain('the sampling/createMessage handler returned an invalid result')

    const errors = host.entries[0]?.timeline.events.filter((e) => e.event === 'handler-error') ?? []
    expect(errors.map((e) => e.detail)).toEqual([
      'sampling/createMessage: no model in this test',
      expect.stringContaining(
        'sampling/createMessage: the sampling/createMessage handler returned an invalid result',
      ),
    ])
  })

  test('tasks/cancel aborts the handler’s ctx.signal; the task stays cancelled', async () => {
    const { inHandler, handler } = held()
    await using host = await HostManager.start({
      servers: { a: await config() },
      client: { elicitation: handler },
    })
    const cancelled = seen(await host.callTool('elicit-task', { cancel: true }))
    expect(cancelled.seen).toEqual(['working', 'cancelled'])
    expect(cancelled.error).toContain('cancelled')
    const signal = await inHandler
    expect(signal.aborted).toBe(true)
    expect(String(signal.reason)).toContain('the server cancelled the task')
  })
})

describe('a task’s handler is tracked like any handler call', () => {
  test('still running when its test is judged: that test’s leak, and its ctx.signal aborts', async () => {
    const { inHandler, handler } = held()
    const host = await HostManager.start({
      servers: { a: await (CONFIGS.memory as () => Promise<ServerConfig>)() },
      client: { sampling: handler },
    })
    const run = { label: 'test "task never ends"', shared: false }
    runAttributed(run, () => void host.callTool('sample-task').catch(() => {}))
    const signal = await inHandler
    expect(host.pendingRequests.map((r) => [r.kind, r.label])).toEqual([
      ['request', 'tools/call sample-task'],
      ['handler', 'sampling/createMessage from server "a"'],
    ])
    const { problems } = await closeAndJudge(host, run.label, { timeoutMs: 5000 })
    const [leak] = problems
    expect(leak).toBeInstanceOf(LeakError)
    expect((leak as LeakError).leaks.map((l) => [l.kind, l.label])).toEqual([
      ['request', 'tools/call sample-task'],
      ['handler', 'sampling/createMessage from server "a"'],
    ])
    expect(signal.aborted).toBe(true)
  })
})

describe('notifications', () => {
  test.each(['memory', 'worker'])('what a server sends during initialize is kept (%s)', async (transport) => {
    const server: ServerConfig =
      transport === 'memory'
        ? { transport: 'memory', server: (await import(SERVERS)).greeting }
        : { transport: 'worker', module: SERVERS, export: 'greeting' }
    await using host = await HostManager.start({ servers: { g: server } })
    // A round trip after initialize: anything sent before it has arrived.
    await host.callTool('noop')
    expect(host.notifications({ method: 'notifications/message' }).map((n) => n.params)).toEqual([
      { level: 'info', data: 'initialized' },
    ])
  })
})
