// The SDK Client every launcher connects: one construction, so every transport's client is the same.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { RequestTaskStore } from '@modelcontextprotocol/sdk/shared/protocol.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import {
  type ClientCapabilities,
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  type CreateTaskResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  ElicitResultSchema,
  ListRootsRequestSchema,
  type Result,
  type Root,
} from '@modelcontextprotocol/sdk/types.js'
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv'
import type { z } from 'zod'
import { HOST_INFO } from '../version.js'
import { WireTap } from '../wire/tap.js'
import { HandlerTaskStore } from './client-tasks.js'
import { markHarnessClient } from './harness-clients.js'
import type { Timeline } from './timeline.js'

/**
 * The SDK builds an Ajv instance (with its formats) for every Client, ~1 ms, though only a tool with
 * an `outputSchema` is ever validated with it: built here on first use, per client. Not one shared
 * validator: Ajv keeps every schema it compiled, so a process-wide one would grow with every host.
 */
function lazyValidator(): jsonSchemaValidator {
  let ajv: AjvJsonSchemaValidator | undefined
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      ajv ??= new AjvJsonSchemaValidator()
      return ajv.getValidator<T>(schema)
    },
  }
}

/** What a server's request handler gets besides the request's params. */
export interface ClientHandlerContext {
  /** The server (its name in the host config) that sent the request. */
  readonly server: string
  /** Aborts when the server cancels its request, the connection closes, or the test ended with it unanswered. */
  readonly signal: AbortSignal
}

/**
 * How the host runs one handler call: tracked like its own requests (a call still running when its
 * test ends is that test's leak, and is aborted). `signal` is the request's own, from the SDK.
 */
export type HandlerTracker = <T>(
  method: string,
  signal: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
) => Promise<T>

export type SamplingHandler = (
  params: CreateMessageRequest['params'],
  ctx: ClientHandlerContext,
) => CreateMessageResult | Promise<CreateMessageResult>

export type ElicitationHandler = (
  params: ElicitRequest['params'],
  ctx: ClientHandlerContext,
) => ElicitResult | Promise<ElicitResult>

/** The host's own side of the protocol, for one server's client (API.md "ClientConfig"). */
export interface ClientSide {
  readonly name?: string
  readonly version?: string
  readonly sampling?: SamplingHandler
  readonly elicitation?: ElicitationHandler
  /** The current roots, answered to `roots/list`; declared (with `listChanged`) only when given. */
  readonly roots?: () => readonly Root[]
  /** The server this client talks to, as its handlers see it. */
  readonly server: string
  /** Where a handler's failure is recorded (the server's timeline). */
  readonly timeline: Timeline
  /** Runs each handler call; without it, handlers run untracked. */
  readonly track?: HandlerTracker
  /** Told the protocol revision each connection landed on (also recorded in `timeline` as `era`). */
  readonly landed?: (version: string) => void
  /** Sees each connection's wire tap before any message travels on it (initialize included). */
  readonly observe?: (tap: WireTap) => void
  /** Told of a handler's malformed answer (never sent: the server gets an error): the host's wire violation. */
  readonly invalidAnswer?: (method: string, problem: InvalidAnswer) => void
}

/** What was wrong with a handler's answer: the first problem's path in the response, and the answer. */
export interface InvalidAnswer {
  readonly path: string
  readonly message: string
  readonly value: unknown
}

/**
 * Exactly the capabilities `side` has handlers for: an elicitation handler answers both modes
 * (form and URL), and sampling and elicitation requests may ask to run as tasks (client-tasks.ts).
 */
export function clientCapabilities(side: ClientSide | undefined): ClientCapabilities {
  const sampling = side?.sampling !== undefined
  const elicitation = side?.elicitation !== undefined
  return {
    ...(sampling && { sampling: {} }),
    ...(elicitation && { elicitation: { form: {}, url: {} } }),
    ...(side?.roots && { roots: { listChanged: true } }),
    ...((sampling || elicitation) && {
      tasks: {
        list: {},
        cancel: {},
        requests: {
          ...(sampling && { sampling: { createMessage: {} } }),
          ...(elicitation && { elicitation: { create: {} } }),
        },
      },
    }),
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The handler's result checked against `schema`; its failure (a throw or a bad result) recorded and
 * thrown. Run through the host's tracker, with the request's signal.
 */
function answer<T>(
  side: ClientSide,
  method: string,
  schema: z.ZodType<T>,
  requestSignal: AbortSignal,
  run: (ctx: ClientHandlerContext) => T | Promise<T>,
): Promise<T> {
  const call = async (signal: AbortSignal): Promise<T> => {
    try {
      const value = await run(Object.freeze({ server: side.server, signal }))
      const result = schema.safeParse(value)
      if (result.success) return result.data
      const problems = result.error.issues.map((i) => `${i.path.join('.') || '(result)'}: ${i.message}`)
      const first = result.error.issues[0]
      side.invalidAnswer?.(method, {
        path: ['result', ...(first?.path ?? [])].join('.'),
        message: first?.message ?? 'not a valid result',
        value,
      })
      throw new Error(`the ${method} handler returned an invalid result (${problems.join('; ')})`)
    } catch (error) {
      side.timeline.record('handler-error', `${method}: ${messageOf(error)}`)
      throw error
    }
  }
  return side.track ? side.track(method, requestSignal, call) : call(requestSignal)
}

/** What the SDK gives a request handler that the host uses. */
interface HandlerExtra {
  readonly signal: AbortSignal
  /** The SDK's view of the client's task store: it also tells the server of each status change. */
  readonly taskStore?: RequestTaskStore
  readonly taskRequestedTtl?: number | null
}

/**
 * Answers a request the server sent: directly, or, when it asked for a task (`params.task`), with a
 * task at once, the handler then running in the background with the task's signal (aborted by
 * `tasks/cancel`) and its outcome stored for `tasks/result`.
 */
async function respond<T extends Result>(
  side: ClientSide,
  tasks: HandlerTaskStore | undefined,
  asTask: boolean,
  extra: HandlerExtra,
  method: string,
  schema: z.ZodType<T>,
  run: (ctx: ClientHandlerContext) => T | Promise<T>,
): Promise<T | CreateTaskResult> {
  const store = extra.taskStore
  if (!asTask || !store || !tasks) return answer(side, method, schema, extra.signal, run)
  const task = await store.createTask({ ttl: extra.taskRequestedTtl ?? null })
  answer(side, method, schema, tasks.signalOf(task.taskId), run)
    .then(
      (result) => store.storeTaskResult(task.taskId, 'completed', result),
      (error: unknown) => store.updateTaskStatus(task.taskId, 'failed', messageOf(error)),
    )
    // Cancelled or expired meanwhile, or the client is closed: nobody is waiting for it. The
    // handler's own failure is already on the timeline (answer()).
    .catch(() => {})
  return { task }
}

function installHandlers(client: Client, side: ClientSide, tasks: HandlerTaskStore | undefined): void {
  const { sampling, elicitation, roots } = side
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, ({ params }, extra) => {
      const schema =
        params.tools || params.toolChoice ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema
      return respond(
        side,
        tasks,
        params.task !== undefined,
        extra,
        'sampling/createMessage',
        schema as z.ZodType<CreateMessageResult>,
        (ctx) => sampling(params, ctx),
      )
    })
  }
  if (elicitation) {
    client.setRequestHandler(ElicitRequestSchema, ({ params }, extra) =>
      respond(
        side,
        tasks,
        params.task !== undefined,
        extra,
        'elicitation/create',
        ElicitResultSchema,
        (ctx) => elicitation(params, ctx),
      ),
    )
  }
  if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [...roots()] }))
}

/** A new SDK Client as the host: its client info (ours by default) and exactly the capabilities it handles. */
export function newHostClient(side?: ClientSide): Client {
  const info = { name: side?.name ?? HOST_INFO.name, version: side?.version ?? HOST_INFO.version }
  // Only a client that can run tasks needs a store (the SDK then also answers tasks/* from it).
  const tasks = side && (side.sampling || side.elicitation) ? new HandlerTaskStore() : undefined
  const client = new Client(info, {
    capabilities: clientCapabilities(side),
    jsonSchemaValidator: lazyValidator(),
    ...(tasks && { taskStore: tasks }),
  })
  markHarnessClient(client)
  if (side) installHandlers(client, side, tasks)
  if (tasks) taskStores.set(client, tasks)
  return client
}

/** Each host client's task store, for its taps: a task's handler stops with the connection. */
const taskStores = new WeakMap<Client, HandlerTaskStore>()

/**
 * The transport `client` is connected to: a `WireTap` around `transport`, with `side`'s observers
 * listening before any message travels (the server's notifications during initialize included).
 * Every feature that reads the traffic is a listener on it; nothing replaces the client's methods.
 */
export function tapped(client: Client, transport: Transport, side: ClientSide | undefined): Transport {
  // The tap is typed on SDK v2's Transport; v1's is the same shape.
  const tap = new WireTap(transport as unknown as ConstructorParameters<typeof WireTap>[0])
  if (side) {
    const { timeline, landed } = side
    tap.listen({
      era: (version) => {
        timeline.record('era', version)
        landed?.(version)
      },
    })
    side.observe?.(tap)
  }
  const tasks = taskStores.get(client)
  // A task's handler stops with the connection, as a request's handler does (the SDK aborts those).
  if (tasks) tap.listen({ close: () => tasks.abortAll(new Error('the connection to the server closed')) })
  return tap as unknown as Transport
}
