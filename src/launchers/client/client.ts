// The SDK Client every launcher connects: one construction, so every transport's client is the same.
// It is SDK v2's `Client` (`@modelcontextprotocol/client`): it speaks both protocol revisions; servers
// built with SDK v1 are the same wire to it.

import {
  Client,
  type ClientCapabilities,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type JsonSchemaType,
  type JsonSchemaValidator,
  type jsonSchemaValidator,
  type Root,
  type Transport,
} from '@modelcontextprotocol/client'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv'
import {
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  ElicitResultSchema,
} from '@modelcontextprotocol/core'
import type { z } from 'zod'
import { HOST_INFO } from '../../version.js'
import { WireTap } from '../../wire/tap.js'
import { messageOf } from '../output/kept-text.js'
import type { Timeline } from '../timeline.js'
import { serveClientTasks } from './client-task-wire.js'
import { HandlerTaskStore } from './client-tasks.js'
import { markHarnessClient } from './harness-clients.js'
import { DEFAULT_PROTOCOL, negotiationFor, type ProtocolSetting } from './protocol.js'
import { recordRounds } from './rounds.js'
import type { InputAnswer } from './task-extension.js'
import { followServerTasks, TASKS_EXTENSION } from './task-extension.js'

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

/** `input_required` rounds answered for one request when `client.maxRounds` is not set. */
export const DEFAULT_MAX_ROUNDS = 10

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
  /** `input_required` rounds the handlers answer for one request (2026-07-28); default 10. */
  readonly maxRounds?: number
  /** The revision to speak, or `'auto'`: the newest both sides speak (default: DEFAULT_PROTOCOL). */
  readonly protocol?: ProtocolSetting
  /** The log level each request carries in `_meta` (2026-07-28's setLoggingLevel), read per request. */
  readonly logLevel?: () => string | undefined
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

/** One server request a host handler answers: its method, the result's schema, and the handler. */
interface AnswerOptions<T> {
  method: string
  schema: z.ZodType<T>
  /** The incoming request's signal. */
  signal: AbortSignal
  run: (ctx: ClientHandlerContext) => T | Promise<T>
}

/**
 * The handler's result checked against `schema`; its failure (a throw or a bad result) recorded and
 * thrown. Run through the host's tracker, with the request's signal.
 */
function answer<T>(
  side: ClientSide,
  { method, schema, signal: requestSignal, run }: AnswerOptions<T>,
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

/** A server's request the host answers: its method and params, and the signal it runs under. */
export type Answer = (
  method: string,
  params: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<unknown>

/**
 * How `side` answers `sampling/createMessage` and `elicitation/create` (undefined: it has no handler
 * for `method`). One function for the SDK's request handlers and for requests run as tasks.
 */
function answerer(side: ClientSide): Answer {
  const { sampling, elicitation } = side
  return (method, params, signal) => {
    if (method === 'sampling/createMessage' && sampling) {
      const schema =
        params.tools || params.toolChoice ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema
      return answer(side, {
        method,
        schema: schema as z.ZodType<CreateMessageResult>,
        signal,
        run: (ctx) => sampling(params as CreateMessageRequest['params'], ctx),
      })
    }
    if (method === 'elicitation/create' && elicitation) {
      return answer(side, {
        method,
        schema: ElicitResultSchema as z.ZodType<ElicitResult>,
        signal,
        run: (ctx) => elicitation(params as ElicitRequest['params'], ctx),
      })
    }
    return Promise.reject(new Error(`the host has no handler for ${method}`))
  }
}

/** How `side` answers a server task's input requests (task-extension.ts): its handlers, roots included. */
function inputAnswerer(side: ClientSide): InputAnswer {
  const run = answerer(side)
  const { roots } = side
  return (method, params, signal) =>
    method === 'roots/list' && roots ? Promise.resolve({ roots: [...roots()] }) : run(method, params, signal)
}

function installHandlers(client: Client, side: ClientSide): void {
  const { sampling, elicitation, roots } = side
  const run = answerer(side)
  if (sampling) {
    client.setRequestHandler(
      'sampling/createMessage',
      ({ params }, ctx) =>
        run('sampling/createMessage', params, ctx.mcpReq.signal) as Promise<CreateMessageResult>,
    )
  }
  if (elicitation) {
    client.setRequestHandler(
      'elicitation/create',
      ({ params }, ctx) => run('elicitation/create', params, ctx.mcpReq.signal) as Promise<ElicitResult>,
    )
  }
  if (roots) client.setRequestHandler('roots/list', () => ({ roots: [...roots()] }))
}

const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities'

/**
 * The host's Client. On 2026-07-28 (where capabilities travel with every request) it declares the
 * tasks extension, which it follows (task-extension.ts), and not 2025-11-25's client-side `tasks`,
 * which that revision does not have (no server sends requests there).
 */
class HostClient extends Client {
  protected override _outboundMetaEnvelope(): Readonly<Record<string, unknown>> | undefined {
    const envelope = super._outboundMetaEnvelope()
    const declared = envelope?.[CLIENT_CAPABILITIES] as ClientCapabilities | undefined
    if (!envelope || !declared) return envelope
    const { tasks: _legacy, ...capabilities } = declared
    const extensions = { ...capabilities.extensions, [TASKS_EXTENSION]: {} }
    return { ...envelope, [CLIENT_CAPABILITIES]: { ...capabilities, extensions } }
  }
}

/**
 * A new SDK Client as the host: its client info (ours by default) and exactly the capabilities it
 * handles, speaking `protocol` (default: the side's, else DEFAULT_PROTOCOL).
 */
export function newHostClient(
  side?: ClientSide,
  protocol: ProtocolSetting = side?.protocol ?? DEFAULT_PROTOCOL,
): Client {
  const info = { name: side?.name ?? HOST_INFO.name, version: side?.version ?? HOST_INFO.version }
  const client = new HostClient(info, {
    capabilities: clientCapabilities(side),
    jsonSchemaValidator: lazyValidator(),
    versionNegotiation: negotiationFor(protocol),
    inputRequired: { maxRounds: side?.maxRounds ?? DEFAULT_MAX_ROUNDS },
  })
  markHarnessClient(client)
  if (side) installHandlers(client, side)
  return client
}

/**
 * The transport `client` is connected to: a `WireTap` around `transport`, with `side`'s observers
 * listening before any message travels (the server's notifications during initialize included).
 * Every feature that reads the traffic is a listener on it; nothing replaces the client's methods.
 * A client that can run tasks (sampling or elicitation) serves them on the tap (client-tasks.ts), and
 * on 2026-07-28 the tasks a server answers a tool call with are followed there (task-extension.ts):
 * SDK v2 has no task runtime of its own.
 */
export function tapped(_client: Client, transport: Transport, side: ClientSide | undefined): WireTap {
  const tap = new WireTap(transport, side?.logLevel ? { logLevel: side.logLevel } : {})
  if (side) {
    const { timeline, landed } = side
    tap.listen({
      era: (version) => {
        timeline.record('era', version)
        landed?.(version)
      },
    })
    recordRounds(tap, timeline, side.maxRounds ?? DEFAULT_MAX_ROUNDS)
    side.observe?.(tap)
    if (side.sampling || side.elicitation) serveClientTasks(tap, new HandlerTaskStore(), answerer(side))
    const maxRounds = side.maxRounds ?? DEFAULT_MAX_ROUNDS
    followServerTasks(tap, { answer: inputAnswerer(side), timeline, maxRounds })
  }
  return tap
}
