// The tasks extension of 2026-07-28 (io.modelcontextprotocol/tasks) through the host's callTool: a
// server built on SDK v2 answers a tool call with a task; the host declares the extension (on
// 2026-07-28 only), polls tasks/get, answers the task's input requests with its handlers through
// tasks/update, hands back the final result or error, and cancels a task whose call was given up;
// in memory, in a worker thread, over stdio and over spawned HTTP.
// The 2025-11-25 tasks (host/tasks.ts, client-tasks.ts) keep their own tests.
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { describe, expect, test, vi } from 'vitest'
import { closeAndJudge } from '../../src/fixtures/judge.js'
import type { ClientConfig, ServerConfig } from '../../src/host/config/config-types.js'
import { InputRoundsError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { LeakError, runAttributed } from '../../src/scope/index.js'
import { createTaskStore, createTasksServer } from '../fixtures/v2-server/tasks.mjs'
import { rejectionOf } from '../support/assertions.js'

const SERVER = fileURLToPath(new URL('../fixtures/v2-server/server.mjs', import.meta.url))
const TASKS = fileURLToPath(new URL('../fixtures/v2-server/tasks.mjs', import.meta.url))

/** The tasks server on each transport, and how to read what clients did to its tasks. */
const TRANSPORTS = {
  memory: () => {
    const store = createTaskStore()
    const config: ServerConfig = { transport: 'memory', server: () => createTasksServer({ store }) }
    return { config, log: async () => store.log }
  },
  worker: () => {
    const config: ServerConfig = {
      transport: 'worker',
      module: TASKS,
      export: 'moduleTasksServer',
      workerData: { key: randomUUID() },
    }
    return { config, log: undefined }
  },
  stdio: () => {
    const config: ServerConfig = {
      transport: 'stdio',
      command: process.execPath,
      args: [SERVER, 'stdio', 'tasks'],
    }
    return { config, log: undefined }
  },
  http: () => {
    const config: ServerConfig = {
      transport: 'http',
      command: process.execPath,
      args: [SERVER, 'http', 'tasks'],
    }
    return { config, log: undefined }
  },
} as const

const CLIENT: ClientConfig = {
  elicitation: () => ({ action: 'accept', content: { ok: true } }),
  sampling: () => ({ role: 'assistant', content: { type: 'text', text: 'yes' }, model: 'scripted' }),
  roots: [{ uri: 'file:///reports', name: 'reports' }],
}

function textOf(result: { content?: unknown }): string {
  return ((result.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n')
}

async function started(transport: keyof typeof TRANSPORTS, client: ClientConfig = CLIENT) {
  const { config, log } = TRANSPORTS[transport]()
  const host = await HostManager.start({ servers: { tasks: { ...config, protocol: '2026-07-28' } }, client })
  // Another process's store is read through its own tool.
  const read = log ?? (async () => textOf(await host.callTool('task_log')).split('\n'))
  const events = () => host.entries[0]?.timeline.events.filter((e) => /^(task|round)/.test(e.event)) ?? []
  return { host, log: read, events }
}

describe.each(['memory', 'worker', 'stdio', 'http'] as const)(
  'a server’s tasks on 2026-07-28 over %s',
  (transport) => {
    test('a task that asks for input: answered by the handlers in one tasks/update, then its result', {
      timeout: 30_000,
    }, async () => {
      const asked: string[] = []
      const client: ClientConfig = {
        ...CLIENT,
        elicitation: (params) => {
          asked.push(params.message)
          return { action: 'accept', content: { ok: true } }
        },
      }
      const { host, log, events } = await started(transport, client)
      try {
        expect(host.server('tasks').era).toBe('2026-07-28')
        const result = await host.callTool('report', { topic: 'tides' })
        expect(textOf(result)).toBe('report on tides: published=true roots=file:///reports')
        // Asked once, though the task stayed input_required until the answers were in.
        expect(asked).toEqual(['Publish the report on tides?'])
        const updates = (await log()).filter((line) => line.startsWith('update'))
        expect(updates).toEqual(['update task-1 confirm,roots'])
        expect(events().map((e) => [e.event, e.detail])).toEqual([
          ['task created', 'tools/call report: task-1 (working; polled every 10 ms)'],
          ['task input_required', 'tools/call report: task-1'],
          [
            'round 1 elicitation/create, roots/list',
            'tools/call report (task task-1): confirm=elicitation/create, roots=roots/list',
          ],
          ['task completed', 'tools/call report: task-1'],
        ])
        // The host's own tasks/get and tasks/update carry the call's 2026-07-28 envelope: no violation.
        expect(host.wireLedger.list().map((r) => r.violation)).toEqual([])
      } finally {
        await host.shutdown()
      }
    })

    test('a task’s structured result is checked and returned like a plain call’s', {
      timeout: 30_000,
    }, async () => {
      const { host } = await started(transport)
      try {
        const result = await host.callTool('sum', { a: 2, b: 3 })
        expect(result.structuredContent).toEqual({ sum: 5 })
        expect(textOf(result)).toBe('5')
      } finally {
        await host.shutdown()
      }
    })

    test('a failed task rejects with its error; one the server cancelled says so', {
      timeout: 30_000,
    }, async () => {
      const { host } = await started(transport)
      try {
        const failed = (await rejectionOf(host.callTool('broken'))) as { code?: number; message: string }
        expect(failed.code).toBe(-32000)
        expect(failed.message).toContain('task task-1 of tools/call broken failed: disk full')
        const cancelled = (await rejectionOf(host.callTool('abandoned'))) as Error
        expect(cancelled.message).toContain(
          'the server cancelled task task-2 of tools/call abandoned: the operator stopped it',
        )
      } finally {
        await host.shutdown()
      }
    })

    test('a call given up (its timeout) cancels its task on the server', { timeout: 30_000 }, async () => {
      const { host, log, events } = await started(transport)
      try {
        await rejectionOf(host.callTool('endless', {}, { timeout: 300 }))
        // tasks/cancel is not awaited by the call: it reaches the server soon after.
        await vi.waitFor(async () => expect(await log()).toContain('cancel task-1'), {
          timeout: 10_000,
          interval: 50,
        })
        expect(events().at(-1)).toMatchObject({
          event: 'task cancel',
          detail: 'tools/call endless: task-1 (the call was given up)',
        })
      } finally {
        await host.shutdown()
      }
    })
  },
)

describe('limits and eras (in memory)', () => {
  test('a task that keeps asking: cancelled after client.maxRounds rounds, an InputRoundsError', async () => {
    const { host, log, events } = await started('memory', { ...CLIENT, maxRounds: 2 })
    try {
      const error = await rejectionOf(host.callTool('nagging'))
      expect(error).toBeInstanceOf(InputRoundsError)
      expect(error).toMatchObject({ server: 'tasks', method: 'tools/call', rounds: 2 })
      expect(await log()).toContain('cancel task-1')
      expect(
        events()
          .filter((e) => e.event.startsWith('round'))
          .map((e) => e.event),
      ).toEqual(['round 1 sampling/createMessage', 'round 2 sampling/createMessage'])
    } finally {
      await host.shutdown()
    }
  })

  test('a handler that fails: the task is cancelled and the call rejects with the handler’s error', async () => {
    const { host, log } = await started('memory', {
      ...CLIENT,
      elicitation: () => {
        throw new Error('no one to ask')
      },
    })
    try {
      const error = (await rejectionOf(host.callTool('report', { topic: 'tides' }))) as Error
      expect(error.message).toContain('no one to ask')
      expect(await log()).toContain('cancel task-1')
    } finally {
      await host.shutdown()
    }
  })

  test('a handler still answering a task’s input when its test is judged: that test’s leak, its signal aborted', async () => {
    let entered: (signal: AbortSignal) => void = () => {}
    const inHandler = new Promise<AbortSignal>((resolve) => {
      entered = resolve
    })
    const { host } = await started('memory', {
      ...CLIENT,
      elicitation: (_params, { signal }) => {
        entered(signal)
        return new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        )
      },
    })
    const run = { label: 'test "report never confirmed"', shared: false }
    runAttributed(run, () => void host.callTool('report', { topic: 'tides' }).catch(() => {}))
    const signal = await inHandler
    const { problems } = await closeAndJudge(host, run.label, { timeoutMs: 5000 })
    const [leak] = problems
    expect(leak).toBeInstanceOf(LeakError)
    expect((leak as LeakError).leaks.map((l) => [l.kind, l.label])).toEqual([
      ['request', 'tools/call report'],
      ['handler', 'elicitation/create from server "tasks"'],
    ])
    expect(signal.aborted).toBe(true)
  })

  test('on 2026-07-28 the host declares the extension, and not 2025-11-25’s client-side tasks', async () => {
    const { McpServer } = await import('@modelcontextprotocol/server')
    // The SDK types the envelope as {}: its keys are read as the wire names them.
    const CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities'
    const declared = () => {
      const server = new McpServer({ name: 'caps', version: '1.0.0' })
      server.registerTool('caps', {}, (ctx) => ({
        content: [
          {
            type: 'text',
            text: JSON.stringify(
              (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CAPABILITIES],
            ),
          },
        ],
      }))
      return server
    }
    await using host = await HostManager.start({
      servers: { caps: { transport: 'memory', server: declared, protocol: '2026-07-28' } },
      client: CLIENT,
    })
    expect(JSON.parse(textOf(await host.callTool('caps')))).toEqual({
      sampling: {},
      elicitation: { form: {}, url: {} },
      roots: { listChanged: true },
      extensions: { 'io.modelcontextprotocol/tasks': {} },
    })
  })

  test('on 2025-11-25 the extension is not declared: the server cannot answer with a task', async () => {
    const store = createTaskStore()
    await using host = await HostManager.start({
      servers: {
        tasks: { transport: 'memory', server: () => createTasksServer({ store }), protocol: '2025-11-25' },
      },
      client: CLIENT,
    })
    const result = await host.callTool('sum', { a: 1, b: 1 })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toBe('sum needs the tasks extension (io.modelcontextprotocol/tasks)')
    expect(store.tasks.size).toBe(0)
  })
})
