// The host's tasks on the wire: a server's `sampling/createMessage` or `elicitation/create` with
// `params.task`, and its `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel`, answered from a
// HandlerTaskStore on the connection's wire tap (SDK v2's client has no task runtime; on 2025-11-25 the
// host keeps serving them). Consumed there: the SDK client never sees these requests.
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/client'
import type { WireTap } from '../../wire/tap.js'
import { messageOf } from '../output/kept-text.js'
import type { HandlerTaskStore } from './client-tasks.js'

/** Runs the handler for a server's request (client.ts `Answer`), with the signal it runs under. */
type Answer = (method: string, params: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>

const TASKABLE = new Set(['sampling/createMessage', 'elicitation/create'])
const TASK_METHODS = new Set(['tasks/get', 'tasks/result', 'tasks/list', 'tasks/cancel'])
const noop = () => {}

/** The JSON-RPC error code of `error` (a ProtocolError's), else Internal error. */
function codeOf(error: unknown): number {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'number' ? code : -32603
}

/**
 * Serves the tasks of one connection from `store`: a task-augmented request is answered with its task
 * at once, its handler (`answer`) then runs with the task's signal (aborted by `tasks/cancel`, or when
 * the connection closes) and its outcome is stored for `tasks/result`.
 */
export function serveClientTasks(tap: WireTap, store: HandlerTaskStore, answer: Answer): void {
  const reply = (id: RequestId, outcome: Promise<unknown>) => {
    outcome.then(
      (result) => tap.send({ jsonrpc: '2.0', id, result: result as Record<string, unknown> }).catch(noop),
      (error: unknown) =>
        tap
          .send({ jsonrpc: '2.0', id, error: { code: codeOf(error), message: messageOf(error) } })
          .catch(noop),
    )
  }
  const serve = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
    const taskId = String(params.taskId)
    switch (method) {
      case 'tasks/get': {
        const task = await store.getTask(taskId)
        if (!task) throw Object.assign(new Error(`Task not found: ${taskId}`), { code: -32602 })
        return task
      }
      case 'tasks/result':
        return store.getTaskResult(taskId)
      case 'tasks/list':
        return store.listTasks(typeof params.cursor === 'string' ? params.cursor : undefined)
      default: {
        await store.updateTaskStatus(taskId, 'cancelled', 'the server cancelled the task')
        return store.getTask(taskId)
      }
    }
  }
  const start = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
    const asked = params.task as { ttl?: number | null } | undefined
    const task = await store.createTask({ ttl: asked?.ttl ?? null })
    answer(method, params, store.signalOf(task.taskId))
      .then(
        (result) => store.storeTaskResult(task.taskId, 'completed', result as Record<string, unknown>),
        (error: unknown) => store.updateTaskStatus(task.taskId, 'failed', messageOf(error)),
      )
      // Cancelled or expired meanwhile, or the connection closed: nobody is waiting for it. The
      // handler's own failure is already on the timeline (client.ts answer()).
      .catch(noop)
    return { task }
  }
  tap.listen({
    inbound({ message }: { message: JSONRPCMessage }) {
      if (!('method' in message) || !('id' in message) || message.id === undefined) return undefined
      const params = (message.params ?? {}) as Record<string, unknown>
      if (TASK_METHODS.has(message.method)) {
        reply(message.id, serve(message.method, params))
        return 'consume'
      }
      if (TASKABLE.has(message.method) && params.task !== undefined) {
        reply(message.id, start(message.method, params))
        return 'consume'
      }
      return undefined
    },
    close: () => store.abortAll(new Error('the connection to the server closed')),
  })
}
