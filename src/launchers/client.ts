// The SDK Client every launcher connects: one construction, so every transport's client is the same.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import {
  type ClientCapabilities,
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  CreateMessageResultSchema,
  CreateMessageResultWithToolsSchema,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  ElicitResultSchema,
  ListRootsRequestSchema,
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
}

/** Exactly the capabilities `side` has handlers for. */
export function clientCapabilities(side: ClientSide | undefined): ClientCapabilities {
  return {
    ...(side?.sampling && { sampling: {} }),
    ...(side?.elicitation && { elicitation: {} }),
    ...(side?.roots && { roots: { listChanged: true } }),
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
      const result = schema.safeParse(await run(Object.freeze({ server: side.server, signal })))
      if (result.success) return result.data
      const problems = result.error.issues.map((i) => `${i.path.join('.') || '(result)'}: ${i.message}`)
      throw new Error(`the ${method} handler returned an invalid result (${problems.join('; ')})`)
    } catch (error) {
      side.timeline.record('handler-error', `${method}: ${messageOf(error)}`)
      throw error
    }
  }
  return side.track ? side.track(method, requestSignal, call) : call(requestSignal)
}

function installHandlers(client: Client, side: ClientSide): void {
  const { sampling, elicitation, roots } = side
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, ({ params }, extra) => {
      const schema =
        params.tools || params.toolChoice ? CreateMessageResultWithToolsSchema : CreateMessageResultSchema
      return answer(
        side,
        'sampling/createMessage',
        schema as z.ZodType<CreateMessageResult>,
        extra.signal,
        (ctx) => sampling(params, ctx),
      )
    })
  }
  if (elicitation) {
    client.setRequestHandler(ElicitRequestSchema, ({ params }, extra) =>
      answer(side, 'elicitation/create', ElicitResultSchema, extra.signal, (ctx) => elicitation(params, ctx)),
    )
  }
  if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [...roots()] }))
}

/** A new SDK Client as the host: its client info (ours by default) and exactly the capabilities it handles. */
export function newHostClient(side?: ClientSide): Client {
  const info = { name: side?.name ?? HOST_INFO.name, version: side?.version ?? HOST_INFO.version }
  const client = new Client(info, {
    capabilities: clientCapabilities(side),
    jsonSchemaValidator: lazyValidator(),
  })
  if (side) installHandlers(client, side)
  return client
}
