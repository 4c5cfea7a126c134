// A tool whose `execution.taskSupport` is 'required' is called as a task: the call creates it, the
// host polls it until it ends and hands back its result. The call's budget (timeout, signal) bounds
// every request and every wait between polls.
import {
  type CallToolResult,
  type Client,
  ProtocolError,
  ProtocolErrorCode,
  type Tool,
} from '@modelcontextprotocol/client'
import { CallToolResultSchema, CreateTaskResultSchema, GetTaskResultSchema } from '@modelcontextprotocol/core'
import type { Call } from './requests.js'
import { sdkOptions } from './sending.js'

type RequestOptions = ReturnType<typeof sdkOptions> | { timeout: number }

/** Poll interval when the server suggests none (the SDK's own default). */
const DEFAULT_POLL_MS = 1000

export function requiresTask(tool: Tool | undefined): boolean {
  return tool?.execution?.taskSupport === 'required'
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Calls `name` as a task and resolves with its final result. A task that fails resolves with the
 * result the server stored for it when it gives one (usually `isError: true`), else rejects. A
 * caller who gives up (timeout, abort) gets the budget's reason, and the task is cancelled on the
 * server (best effort, not awaited).
 */
export async function callToolAsTask(
  client: Client,
  params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> },
  call: Call,
): Promise<CallToolResult> {
  // SDK v2 has no task runtime (2025-11-25 vocabulary): the task methods are plain requests.
  const created = await client.request(
    { method: 'tools/call', params: { ...params, task: {} } },
    CreateTaskResultSchema,
    sdkOptions(call),
  )
  const { taskId } = created.task
  const tasks = {
    getTask: (id: string, options: RequestOptions) =>
      client.request({ method: 'tasks/get', params: { taskId: id } }, GetTaskResultSchema, options),
    getTaskResult: (id: string, schema: typeof CallToolResultSchema, options: RequestOptions) =>
      client.request({ method: 'tasks/result', params: { taskId: id } }, schema, options),
    cancelTask: (id: string, options: RequestOptions) =>
      client.request({ method: 'tasks/cancel', params: { taskId: id } }, GetTaskResultSchema, options),
  }
  try {
    let pollInterval = created.task.pollInterval ?? DEFAULT_POLL_MS
    for (;;) {
      const task = await tasks.getTask(taskId, sdkOptions(call))
      if (task.status === 'completed' || task.status === 'input_required')
        return await tasks.getTaskResult(taskId, CallToolResultSchema, sdkOptions(call))
      if (task.status === 'failed') {
        const stored = await tasks
          .getTaskResult(taskId, CallToolResultSchema, sdkOptions(call))
          .catch(() => undefined)
        if (stored) return stored
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          `Task ${taskId} of tool "${params.name}" failed${task.statusMessage ? `: ${task.statusMessage}` : ''}`,
        )
      }
      if (task.status === 'cancelled')
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          `Task ${taskId} of tool "${params.name}" was cancelled`,
        )
      pollInterval = task.pollInterval ?? pollInterval
      await pause(pollInterval, call.signal)
    }
  } catch (error) {
    if (call.signal.aborted) {
      tasks.cancelTask(taskId, { timeout: 1000 }).catch(() => {})
      throw call.signal.reason
    }
    throw error
  }
}
