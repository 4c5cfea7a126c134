// Tools whose execution.taskSupport is 'required', on a memory server with a fast task: called as
// tasks whether or not the tools were listed first; the call's timeout and signal bound the polling.

import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { HostManager } from '../../src/host/host-manager.js'
import { Arrivals } from '../support/arrivals.js'
import { rejectionOf } from '../support/assertions.js'
import { maxListenerWarnings } from '../support/warnings.js'

/**
 * `slow` takes `ms` (polled every 10 ms); `broken` fails. Cancelled tasks are recorded in `cancelled`;
 * each task created is noted in `created` as 'task', each poll of one as 'poll'.
 */
function taskServer(cancelled: string[], created?: Arrivals): McpServer {
  const taskStore = new InMemoryTaskStore()
  const get = taskStore.getTask.bind(taskStore)
  taskStore.getTask = async (taskId, sessionId) => {
    created?.note('poll')
    return get(taskId, sessionId)
  }
  const cancel = taskStore.updateTaskStatus.bind(taskStore)
  taskStore.updateTaskStatus = async (taskId, status, message, sessionId) => {
    if (status === 'cancelled') cancelled.push(taskId)
    return cancel(taskId, status, message, sessionId)
  }
  const server = new McpServer(
    { name: 'tasks', version: '1.0.0' },
    {
      capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
      taskStore,
    },
  )
  server.experimental.tasks.registerToolTask(
    'slow',
    { inputSchema: { ms: z.number(), fail: z.boolean().optional() }, execution: { taskSupport: 'required' } },
    {
      createTask: async ({ ms, fail }, extra) => {
        const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval: 10 })
        created?.note('task')
        setTimeout(() => {
          const result = fail
            ? { content: [{ type: 'text' as const, text: 'it broke' }], isError: true }
            : { content: [{ type: 'text' as const, text: `slept ${ms}` }] }
          extra.taskStore.storeTaskResult(task.taskId, fail ? 'failed' : 'completed', result).catch(() => {})
        }, ms)
        return { task }
      },
      getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
      getTaskResult: async (_args, extra) => extra.taskStore.getTaskResult(extra.taskId) as never,
    },
  )
  return server
}

function textOf(result: unknown): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>
  return first?.text ?? ''
}

describe('task-required tools', () => {
  test('resolve with the final result, listed first or not; a failed task gives its stored result', async () => {
    const cancelled: string[] = []
    const host = await HostManager.start({
      servers: { t: { transport: 'memory', server: () => taskServer(cancelled) } },
    })
    try {
      // Not listed yet: sent as a plain call, refused, then the listing shows it needs a task.
      expect(textOf(await host.callTool('slow', { ms: 30 }))).toBe('slept 30')
      // Listed now: a task at once.
      expect(textOf(await host.callTool('slow', { ms: 5 }))).toBe('slept 5')
      const failed = await host.callTool('slow', { ms: 5, fail: true })
      expect(failed).toMatchObject({ isError: true, content: [{ text: 'it broke' }] })
      expect(cancelled).toEqual([])
    } finally {
      await host.shutdown()
    }
  })

  test('the timeout and the abort signal end the polling; the task is cancelled', async () => {
    const cancelled: string[] = []
    const created = new Arrivals()
    const host = await HostManager.start({
      servers: { t: { transport: 'memory', server: () => taskServer(cancelled, created) } },
    })
    try {
      await host.listTools()
      const started = performance.now()
      const timedOut = await host.callTool('slow', { ms: 5000 }, { timeout: 100 }).catch((e: unknown) => e)
      expect(timedOut).toBeInstanceOf(SdkError)
      expect((timedOut as SdkError).code).toBe(SdkErrorCode.RequestTimeout)
      expect(performance.now() - started).toBeLessThan(1000)

      const controller = new AbortController()
      const reason = new Error('the test gave up')
      const aborted = rejectionOf(host.callTool('slow', { ms: 5000 }, { signal: controller.signal }))
      // Aborted while the host polls its task: the polling is what the signal must end.
      await created.reached('task', 2)
      await created.reached('poll', created.count('poll') + 1)
      controller.abort(reason)
      expect(await aborted).toBe(reason)
      await expect.poll(() => cancelled.length).toBe(2)
      expect(host.pendingRequests).toEqual([])
    } finally {
      await host.shutdown()
    }
  })
})

test('a task polled many times under one call: no MaxListenersExceededWarning from its requests', async () => {
  const warnings = await maxListenerWarnings(async () => {
    await using host = await HostManager.start({
      servers: { t: { transport: 'memory', server: () => taskServer([]) } },
    })
    await host.listTools()
    expect(textOf(await host.callTool('slow', { ms: 600 }))).toBe('slept 600')
  })
  expect(warnings).toEqual([])
})
