// The host's task store alone: ttl without timers, a bound on finished tasks, paging, and what a
// cancelled or failed task answers.
import { afterEach, describe, expect, test, vi } from 'vitest'
import {
  HandlerTaskStore,
  MAX_FINISHED_TASKS,
  MAX_WORKING_TASKS,
} from '../../src/launchers/client/client-tasks.js'

const request = { method: 'sampling/createMessage' }

afterEach(() => {
  vi.useRealTimers()
})

describe('HandlerTaskStore', () => {
  test('a task past its ttl is dropped on the next use, and its handler aborted; one without ttl stays', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const store = new HandlerTaskStore()
    const short = await store.createTask({ ttl: 1000 }, 1, request)
    const forever = await store.createTask({}, 2, request)
    const signal = store.signalOf(short.taskId)
    vi.setSystemTime(Date.now() + 1001)
    expect(await store.getTask(short.taskId)).toBeNull()
    expect(signal.aborted).toBe(true)
    expect(String(signal.reason)).toContain('outlived its ttl')
    expect(await store.getTask(forever.taskId)).toMatchObject({ status: 'working', ttl: null })
  })

  test(`at most ${MAX_FINISHED_TASKS} finished tasks are kept, the oldest dropped first; working ones are not`, async () => {
    const store = new HandlerTaskStore()
    const working = await store.createTask({}, 0, request)
    const ids: string[] = []
    for (let i = 0; i < MAX_FINISHED_TASKS + 10; i++) {
      const { taskId } = await store.createTask({}, i, request)
      await store.storeTaskResult(taskId, 'completed', { n: i })
      ids.push(taskId)
    }
    await store.createTask({}, -1, request)
    expect(await store.getTask(ids[0] as string)).toBeNull()
    expect(await store.getTask(ids[9] as string)).toBeNull()
    expect(await store.getTaskResult(ids[10] as string)).toEqual({ n: 10 })
    expect(await store.getTask(working.taskId)).toMatchObject({ status: 'working' })
  })

  test(`at most ${MAX_WORKING_TASKS} unfinished tasks: one more is an error for the server, not a task`, async () => {
    const store = new HandlerTaskStore()
    const first = await store.createTask({}, 0, request)
    for (let i = 1; i < MAX_WORKING_TASKS; i++) await store.createTask({}, i, request)
    await expect(store.createTask({}, -1, request)).rejects.toMatchObject({
      code: -32600,
      message: expect.stringContaining(`already runs ${MAX_WORKING_TASKS} tasks`),
    })
    await store.storeTaskResult(first.taskId, 'completed', {})
    await expect(store.createTask({}, -2, request)).resolves.toMatchObject({ status: 'working' })
  })

  test('pages of 50 with a cursor; an unknown cursor is an InvalidParams error', async () => {
    const store = new HandlerTaskStore()
    for (let i = 0; i < 120; i++) await store.createTask({}, i, request)
    const first = await store.listTasks()
    const second = await store.listTasks(first.nextCursor)
    const third = await store.listTasks(second.nextCursor)
    expect([first.tasks.length, second.tasks.length, third.tasks.length]).toEqual([50, 50, 20])
    expect(third.nextCursor).toBeUndefined()
    expect(new Set([...first.tasks, ...second.tasks, ...third.tasks].map((t) => t.taskId)).size).toBe(120)
    await expect(store.listTasks('nope')).rejects.toMatchObject({ code: -32602 })
  })

  test('cancelled aborts the handler; a terminal task does not move; failed answers its message', async () => {
    const store = new HandlerTaskStore()
    const cancelled = await store.createTask({}, 1, request)
    await store.updateTaskStatus(cancelled.taskId, 'cancelled', 'by the server')
    expect(store.signalOf(cancelled.taskId).aborted).toBe(true)
    await expect(store.storeTaskResult(cancelled.taskId, 'completed', {})).rejects.toThrow(
      "from terminal status 'cancelled' to 'completed'",
    )
    await expect(store.getTaskResult(cancelled.taskId)).rejects.toThrow('by the server')

    const failed = await store.createTask({}, 2, request)
    await store.updateTaskStatus(failed.taskId, 'failed', 'no model in this test')
    await expect(store.getTaskResult(failed.taskId)).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining('no model in this test'),
    })
    await expect(store.getTaskResult('unknown')).rejects.toMatchObject({ code: -32602 })
  })
})
