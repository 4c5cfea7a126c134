// The tasks extension of 2026-07-28 (`io.modelcontextprotocol/tasks`), the client's part: a server
// may answer a `tools/call` with a task (`resultType: 'task'`) instead of its result. SDK v2's client
// has no task runtime (it rejects such a result), so the host follows the task on the wire tap: it
// holds the call's response back, polls `tasks/get` at the task's `pollIntervalMs`, answers an
// `input_required` task's `inputRequests` with the same handlers as a round (`tasks/update`), and
// hands the SDK the task's final result or error as the call's response, checked like any result.
// The call's own budget bounds it all: when the SDK gives the call up (its timeout, the caller's
// signal), the task is cancelled on the server (`tasks/cancel`).
import { setTimeout as delay } from 'node:timers/promises'
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/client'
import { HOST_REQUEST_ID_PREFIX, type WireTap } from '../../wire/tap.js'
import type { PendingRequest, WireEvent } from '../../wire/tap-types.js'
import type { Timeline } from '../timeline.js'

/** The extension's identifier, declared in the per-request client capabilities of 2026-07-28. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks'

/** `data` of the error a call gets when its task asked for input more than `maxRounds` times. */
export const TASK_ROUNDS_EXCEEDED = 'vitest-mcp-host/taskInputRounds'

/** Poll interval when the task suggests none (the SDK's own default for 2025-11-25 tasks). */
const DEFAULT_POLL_MS = 1000
/** A task's `pollIntervalMs` is kept within these: 0 would spin, a huge one overflow the timer. */
const MIN_POLL_MS = 10
const MAX_POLL_MS = 60_000
const STATUSES = new Set(['working', 'input_required', 'completed', 'failed', 'cancelled'])

/** Answers one of a task's input requests (client.ts: the sampling, elicitation and roots handlers). */
export type InputAnswer = (
  method: string,
  params: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<unknown>

export interface TaskFollowing {
  readonly answer: InputAnswer
  readonly timeline: Timeline
  /** Input rounds answered for one task; one more cancels it (`client.maxRounds`). */
  readonly maxRounds: number
}

type Obj = Record<string, unknown>
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

interface Task extends Obj {
  readonly taskId: string
  readonly status: string
}

/** A JSON-RPC error as an Error: the server's, or the host's own for the call. */
class TaskCallError extends Error {
  constructor(
    message: string,
    readonly code = -32603,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

function asTask(value: unknown, what: string): Task {
  if (isObject(value) && typeof value.taskId === 'string' && STATUSES.has(value.status as string))
    return value as Task
  throw new TaskCallError(`${what} is not a task (taskId and a known status): ${JSON.stringify(value)}`)
}

function pollMs(task: Obj, before: number): number {
  const ms = task.pollIntervalMs
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return before
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.round(ms)))
}

/** `elicitation/create`, `elicitation/create (url)`, `sampling/createMessage`, `roots/list` (as rounds.ts). */
function kindOf(entry: unknown): string {
  if (!isObject(entry) || typeof entry.method !== 'string') return 'unknown'
  const mode = isObject(entry.params) ? entry.params.mode : undefined
  return mode === 'url' ? `${entry.method} (url)` : entry.method
}

/** The request's 2026-07-28 `_meta` envelope (protocol version, client info and capabilities, log level). */
function envelopeOf(request: PendingRequest): Obj {
  const meta = isObject(request.params) && isObject(request.params._meta) ? request.params._meta : {}
  return Object.fromEntries(
    Object.entries(meta).filter(([key]) => key.startsWith('io.modelcontextprotocol/')),
  )
}

/**
 * Follows the tasks servers answer `tools/call` with on `tap`'s connection, once it landed on
 * 2026-07-28 (on 2025-11-25 a tool call never returns a task unasked: host/tasks.ts asks).
 */
export function followServerTasks(tap: WireTap, following: TaskFollowing): void {
  const { timeline } = following
  let modern = false
  let next = 1
  let closed = false
  /** The host's own requests in flight, by id. */
  const own = new Map<RequestId, { resolve(result: Obj): void; reject(error: Error): void }>()
  /** Calls whose task is followed, by the call's request id: aborting gives the task up. */
  const followed = new Map<RequestId, AbortController>()
  /** The SDK's per-request signal of a tools/call in flight (modern HTTP: its abort is the cancel). */
  const callSignals = new Map<RequestId, AbortSignal>()

  const request = (method: string, params: Obj, signal?: AbortSignal): Promise<Obj> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new TaskCallError('the connection to the server closed'))
      if (signal?.aborted) return reject(signal.reason)
      const id = `${HOST_REQUEST_ID_PREFIX}${next++}`
      const settle = () => {
        own.delete(id)
        signal?.removeEventListener('abort', onAbort)
      }
      const onAbort = () => {
        settle()
        reject(signal?.reason)
      }
      own.set(id, {
        resolve: (result) => {
          settle()
          resolve(result)
        },
        reject: (error) => {
          settle()
          reject(error)
        },
      })
      signal?.addEventListener('abort', onAbort, { once: true })
      tap.send({ jsonrpc: '2.0', id, method, params }).catch((error: unknown) => {
        settle()
        reject(error)
      })
    })

  const follow = (call: PendingRequest, created: Task, signal: AbortSignal | undefined): void => {
    const tool = isObject(call.params) && typeof call.params.name === 'string' ? call.params.name : '?'
    const subject = `tools/call ${tool}`
    const envelope = envelopeOf(call)
    const withMeta = (params: Obj) => ({ ...params, _meta: envelope })
    const { taskId } = created
    const stop = new AbortController()
    followed.set(call.id, stop)
    const gaveUp = () => stop.abort(new TaskCallError(`the ${subject} call was given up`))
    if (signal?.aborted) gaveUp()
    else signal?.addEventListener('abort', gaveUp, { once: true })
    const cancel = (why: string) => {
      timeline.record('task cancel', `${subject}: ${taskId} (${why})`)
      request('tasks/cancel', withMeta({ taskId })).catch(() => {})
    }

    const run = async (): Promise<Obj> => {
      let task = created
      let interval = pollMs(task, DEFAULT_POLL_MS)
      let rounds = 0
      const answered = new Set<string>()
      timeline.record('task created', `${subject}: ${taskId} (${task.status}; polled every ${interval} ms)`)
      for (;;) {
        if (task.status === 'completed') {
          if (!isObject(task.result))
            throw new TaskCallError(`task ${taskId} of ${subject} completed without a result`)
          return { ...task.result, resultType: 'complete' }
        }
        if (task.status === 'failed') {
          const error = isObject(task.error) ? task.error : {}
          const message =
            typeof error.message === 'string' ? error.message : (task.statusMessage ?? 'no error given')
          throw new TaskCallError(
            `task ${taskId} of ${subject} failed: ${message}`,
            typeof error.code === 'number' ? error.code : undefined,
            error.data,
          )
        }
        if (task.status === 'cancelled') {
          const why = typeof task.statusMessage === 'string' ? `: ${task.statusMessage}` : ''
          throw new TaskCallError(`the server cancelled task ${taskId} of ${subject}${why}`)
        }
        const asked = isObject(task.inputRequests) ? Object.entries(task.inputRequests) : []
        const fresh = task.status === 'input_required' ? asked.filter(([key]) => !answered.has(key)) : []
        if (fresh.length > 0) {
          rounds++
          if (rounds > following.maxRounds) {
            cancel(`it asked for input more than client.maxRounds (${following.maxRounds}) times`)
            throw new TaskCallError(
              `task ${taskId} of ${subject} asked for input more than client.maxRounds (${following.maxRounds}) times`,
              -32603,
              { [TASK_ROUNDS_EXCEEDED]: following.maxRounds },
            )
          }
          const kinds = [...new Set(fresh.map(([, entry]) => kindOf(entry)))]
          const keys = fresh.map(([key, entry]) => `${key}=${kindOf(entry)}`)
          timeline.record(
            `round ${rounds} ${kinds.join(', ')}`,
            `${subject} (task ${taskId}): ${keys.join(', ')}`,
          )
          const answers = await Promise.all(
            fresh.map(async ([key, entry]) => {
              if (!isObject(entry) || typeof entry.method !== 'string')
                throw new TaskCallError(`task ${taskId} of ${subject} asked input "${key}" without a method`)
              const params = isObject(entry.params) ? entry.params : {}
              return [key, await following.answer(entry.method, params, stop.signal)] as const
            }),
          ).catch((error: unknown) => {
            if (!stop.signal.aborted) cancel('a handler failed')
            throw error
          })
          await request(
            'tasks/update',
            withMeta({ taskId, inputResponses: Object.fromEntries(answers) }),
            stop.signal,
          )
          for (const [key] of fresh) answered.add(key)
        }
        // Rejects when the call is given up or the connection closes (then nobody waits for an answer).
        await delay(interval, undefined, { signal: stop.signal })
        const before = task.status
        task = asTask(
          await request('tasks/get', withMeta({ taskId }), stop.signal),
          `the tasks/get answer for ${taskId}`,
        )
        interval = pollMs(task, interval)
        if (task.status !== before) timeline.record(`task ${task.status}`, `${subject}: ${taskId}`)
      }
    }

    run()
      .then(
        (result) => tap.deliver({ jsonrpc: '2.0', id: call.id, result } as JSONRPCMessage),
        (error: unknown) => {
          if (stop.signal.aborted) {
            // The SDK gave the call up (nobody waits for an answer), or the connection closed.
            if (!closed) cancel('the call was given up')
            return
          }
          const { code, data } = error instanceof TaskCallError ? error : { code: -32603, data: undefined }
          const message = error instanceof Error ? error.message : String(error)
          const body = { code, message, ...(data === undefined ? {} : { data }) }
          tap.deliver({ jsonrpc: '2.0', id: call.id, error: body } as JSONRPCMessage)
        },
      )
      .finally(() => {
        followed.delete(call.id)
        signal?.removeEventListener('abort', gaveUp)
      })
  }

  tap.listen({
    era(version: string) {
      modern = version === '2026-07-28'
    },
    outbound(e: WireEvent) {
      if (!modern) return
      const m = e.message as { id?: RequestId; method?: unknown; params?: unknown }
      if (m.method === 'tools/call' && m.id !== undefined && e.sendOptions?.requestSignal) {
        const { id } = m
        const signal = e.sendOptions.requestSignal
        callSignals.set(id, signal)
        signal.addEventListener('abort', () => callSignals.delete(id), { once: true })
      }
      if (m.method === 'notifications/cancelled' && isObject(m.params)) {
        const stop = followed.get(m.params.requestId as RequestId)
        stop?.abort(new TaskCallError('the call was cancelled'))
      }
    },
    inbound(e: WireEvent) {
      const m = e.message as { id?: unknown; result?: unknown; error?: unknown; method?: unknown }
      if (m.method !== undefined || m.id === undefined) return undefined
      if (typeof m.id === 'string' && m.id.startsWith(HOST_REQUEST_ID_PREFIX)) {
        const waiting = own.get(m.id)
        if (isObject(m.result)) waiting?.resolve(m.result)
        else {
          const error = isObject(m.error) ? m.error : {}
          const message = typeof error.message === 'string' ? error.message : 'no error message'
          waiting?.reject(
            new TaskCallError(message, typeof error.code === 'number' ? error.code : undefined, error.data),
          )
        }
        return 'consume'
      }
      if (!e.request) return undefined
      const signal = callSignals.get(e.request.id)
      callSignals.delete(e.request.id)
      if (!modern || e.request.method !== 'tools/call' || !isObject(m.result)) return undefined
      if (m.result.resultType !== 'task') return undefined
      let task: Task
      try {
        task = asTask(m.result, `the ${e.request.method} answer`)
      } catch {
        return undefined // The SDK rejects it as the invalid result it is.
      }
      follow(e.request, task, signal)
      return 'consume'
    },
    close() {
      closed = true
      for (const stop of followed.values())
        stop.abort(new TaskCallError('the connection to the server closed'))
      for (const waiting of own.values())
        waiting.reject(new TaskCallError('the connection to the server closed'))
      own.clear()
      callSignals.clear()
    },
  })
}
