// The host's own tasks: a server may ask for its sampling or elicitation request to run as a task
// (`params.task`, MCP tasks). The host then answers at once with the task, runs the same scripted
// handler in the background, and serves the server's `tasks/get`, `tasks/result`, `tasks/list` and
// `tasks/cancel` from this store. SDK v2 has no task runtime (tasks are 2025-11-25 vocabulary to it):
// the requests are served on the wire tap (client-task-wire.ts), before the SDK client sees them.
import { ProtocolError, ProtocolErrorCode, type Result, type Task } from '@modelcontextprotocol/client'

/** What a server asks of a task it creates (`params.task`). */
export interface CreateTaskOptions {
  readonly ttl?: number | null
  readonly pollInterval?: number
}

/** Finished tasks kept for `tasks/result`; beyond it the oldest go first. */
export const MAX_FINISHED_TASKS = 256
/** Unfinished tasks at once; a server asking for more gets an error, not a task. */
export const MAX_WORKING_TASKS = 256
const PAGE_SIZE = 50
const POLL_INTERVAL_MS = 100

interface Entry {
  task: Task
  result?: Result
  /** Aborted when the server cancels the task: the handler's `ctx.signal`. */
  readonly abort: AbortController
  readonly createdAt: number
}

const isTerminal = (status: Task['status']) =>
  status === 'completed' || status === 'failed' || status === 'cancelled'

/**
 * One client's tasks, in memory, without timers: a task past its ttl is dropped when the store is
 * next used (a timer per task would outlive the host, and a test's fake timers would hold it), and
 * at most MAX_FINISHED_TASKS finished and MAX_WORKING_TASKS unfinished ones are kept, so a server
 * that asks for tasks in a loop cannot grow it without bound. Sessions are not told apart: a store
 * belongs to one client.
 */
export class HandlerTaskStore {
  readonly #tasks = new Map<string, Entry>()
  #next = 1

  /** The signal the task's handler runs with; aborted by `tasks/cancel`. */
  signalOf(taskId: string): AbortSignal {
    const entry = this.#tasks.get(taskId)
    if (!entry) throw new Error(`no task ${taskId}`)
    return entry.abort.signal
  }

  async createTask(params: CreateTaskOptions, _requestId?: unknown, _request?: unknown): Promise<Task> {
    this.#prune()
    let working = 0
    for (const entry of this.#tasks.values()) if (!isTerminal(entry.task.status)) working++
    if (working >= MAX_WORKING_TASKS) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `the host already runs ${MAX_WORKING_TASKS} tasks for this server; wait for one to finish`,
      )
    }
    const now = new Date()
    const taskId = `vitest-mcp-host-task-${this.#next++}`
    const task: Task = {
      taskId,
      status: 'working',
      ttl: params.ttl ?? null,
      createdAt: now.toISOString(),
      lastUpdatedAt: now.toISOString(),
      pollInterval: params.pollInterval ?? POLL_INTERVAL_MS,
    }
    this.#tasks.set(taskId, { task, abort: new AbortController(), createdAt: now.getTime() })
    return { ...task }
  }

  async getTask(taskId: string): Promise<Task | null> {
    this.#prune()
    const entry = this.#tasks.get(taskId)
    return entry ? { ...entry.task } : null
  }

  async storeTaskResult(taskId: string, status: 'completed' | 'failed', result: Result): Promise<void> {
    const entry = this.#live(taskId, status)
    entry.result = result
    this.#set(entry, status)
  }

  async getTaskResult(taskId: string): Promise<Result> {
    const entry = this.#tasks.get(taskId)
    if (!entry) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Task not found: ${taskId}`)
    if (entry.result) return entry.result
    // A failed handler's message is the server's error, as it is for a request without a task.
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
      entry.task.statusMessage ?? `task ${entry.task.status}`,
    )
  }

  async updateTaskStatus(taskId: string, status: Task['status'], statusMessage?: string): Promise<void> {
    const entry = this.#live(taskId, status)
    this.#set(entry, status, statusMessage)
    if (status === 'cancelled') entry.abort.abort(new Error('the server cancelled the task'))
  }

  async listTasks(cursor?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    this.#prune()
    const ids = [...this.#tasks.keys()]
    const start = cursor === undefined ? 0 : ids.indexOf(cursor) + 1
    if (cursor !== undefined && start === 0)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid cursor: ${cursor}`)
    const page = ids.slice(start, start + PAGE_SIZE)
    const tasks = page.flatMap((id) => {
      const entry = this.#tasks.get(id)
      return entry ? [{ ...entry.task }] : []
    })
    const last = page.at(-1)
    return start + PAGE_SIZE < ids.length && last !== undefined ? { tasks, nextCursor: last } : { tasks }
  }

  /** Aborts every unfinished task's handler (the client closed). */
  abortAll(reason: Error): void {
    for (const entry of this.#tasks.values()) if (!isTerminal(entry.task.status)) entry.abort.abort(reason)
  }

  #live(taskId: string, to: Task['status']): Entry {
    const entry = this.#tasks.get(taskId)
    if (!entry) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Task not found: ${taskId}`)
    if (isTerminal(entry.task.status)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Cannot move task ${taskId} from terminal status '${entry.task.status}' to '${to}'`,
      )
    }
    return entry
  }

  #set(entry: Entry, status: Task['status'], statusMessage?: string): void {
    entry.task = {
      ...entry.task,
      status,
      ...(statusMessage !== undefined && { statusMessage }),
      lastUpdatedAt: new Date().toISOString(),
    }
  }

  /** Drops tasks past their ttl, and finished ones beyond MAX_FINISHED_TASKS (oldest first). */
  #prune(): void {
    const now = Date.now()
    let finished = 0
    for (const entry of this.#tasks.values()) if (isTerminal(entry.task.status)) finished++
    for (const [id, entry] of this.#tasks) {
      const { ttl, status } = entry.task
      const expired = typeof ttl === 'number' && now - entry.createdAt > ttl
      const excess = isTerminal(status) && finished > MAX_FINISHED_TASKS
      if (expired || excess) {
        if (isTerminal(status)) finished--
        else entry.abort.abort(new Error('the task outlived its ttl'))
        this.#tasks.delete(id)
      }
    }
  }
}
