/**
 * Per-revision method tables on top of `@modelcontextprotocol/core`'s neutral zod schemas (one
 * union set for both revisions; the SDK keeps its per-revision wire schemas private, so which
 * method exists on which revision, for which sender, is ours — read from the spec's schema.ts of
 * each revision, modelcontextprotocol/modelcontextprotocol `schema/<revision>/schema.ts`).
 * Built once per revision, on first use.
 */
import * as S from '@modelcontextprotocol/core'
import * as z from 'zod/v4'
import type { ProtocolRevision } from './rules.js'

/** Anything with zod's safeParse (the core schemas are zod 4). */
export interface Schema {
  safeParse(
    value: unknown,
  ): { success: true } | { success: false; error: { issues: readonly ZodIssueLike[] } }
}
export interface ZodIssueLike {
  readonly code?: string
  readonly path: readonly PropertyKey[]
  readonly message: string
  readonly errors?: ReadonlyArray<readonly ZodIssueLike[]>
}

export type Sender = 'client' | 'server'

export interface RequestSpec {
  /** The whole request (`{ method, params }`; extra JSON-RPC keys are ignored by the schema). */
  readonly request: Schema
  readonly result: Schema
}

export interface MethodTable {
  readonly revision: ProtocolRevision
  readonly requests: Readonly<Record<Sender, ReadonlyMap<string, RequestSpec>>>
  readonly notifications: Readonly<Record<Sender, ReadonlyMap<string, Schema>>>
}

const req = (request: unknown, result: unknown): RequestSpec => ({
  request: request as Schema,
  result: result as Schema,
})
// EmptyResult is `Result` in both revisions' schema.ts: any keys allowed (core's EmptyResultSchema is strict).
const empty = S.ResultSchema

function legacy(): MethodTable {
  const tasks: Array<[string, RequestSpec]> = [
    ['tasks/get', req(S.GetTaskRequestSchema, S.GetTaskResultSchema)],
    ['tasks/result', req(S.GetTaskPayloadRequestSchema, S.GetTaskPayloadResultSchema)],
    ['tasks/list', req(S.ListTasksRequestSchema, S.ListTasksResultSchema)],
    ['tasks/cancel', req(S.CancelTaskRequestSchema, S.CancelTaskResultSchema)],
  ]
  const common: Array<[string, Schema]> = [
    ['notifications/cancelled', S.CancelledNotificationSchema as Schema],
    ['notifications/progress', S.ProgressNotificationSchema as Schema],
    ['notifications/tasks/status', S.TaskStatusNotificationSchema as Schema],
  ]
  return {
    revision: '2025-11-25',
    requests: {
      client: new Map([
        ['ping', req(S.PingRequestSchema, empty)],
        ['initialize', req(S.InitializeRequestSchema, S.InitializeResultSchema)],
        ['completion/complete', req(S.CompleteRequestSchema, S.CompleteResultSchema)],
        ['logging/setLevel', req(S.SetLevelRequestSchema, empty)],
        ['prompts/get', req(S.GetPromptRequestSchema, S.GetPromptResultSchema)],
        ['prompts/list', req(S.ListPromptsRequestSchema, S.ListPromptsResultSchema)],
        ['resources/list', req(S.ListResourcesRequestSchema, S.ListResourcesResultSchema)],
        [
          'resources/templates/list',
          req(S.ListResourceTemplatesRequestSchema, S.ListResourceTemplatesResultSchema),
        ],
        ['resources/read', req(S.ReadResourceRequestSchema, S.ReadResourceResultSchema)],
        ['resources/subscribe', req(S.SubscribeRequestSchema, empty)],
        ['resources/unsubscribe', req(S.UnsubscribeRequestSchema, empty)],
        ['tools/call', req(S.CallToolRequestSchema, S.CallToolResultSchema)],
        ['tools/list', req(S.ListToolsRequestSchema, S.ListToolsResultSchema)],
        ...tasks,
      ]),
      server: new Map([
        ['ping', req(S.PingRequestSchema, empty)],
        ['sampling/createMessage', req(S.CreateMessageRequestSchema, S.CreateMessageResultSchema)],
        ['roots/list', req(S.ListRootsRequestSchema, S.ListRootsResultSchema)],
        ['elicitation/create', req(S.ElicitRequestSchema, S.ElicitResultSchema)],
        ...tasks,
      ]),
    },
    notifications: {
      client: new Map([
        ...common,
        ['notifications/initialized', S.InitializedNotificationSchema as Schema],
        ['notifications/roots/list_changed', S.RootsListChangedNotificationSchema as Schema],
      ]),
      server: new Map([
        ...common,
        ['notifications/message', S.LoggingMessageNotificationSchema as Schema],
        ['notifications/resources/updated', S.ResourceUpdatedNotificationSchema as Schema],
        ['notifications/resources/list_changed', S.ResourceListChangedNotificationSchema as Schema],
        ['notifications/tools/list_changed', S.ToolListChangedNotificationSchema as Schema],
        ['notifications/prompts/list_changed', S.PromptListChangedNotificationSchema as Schema],
        ['notifications/elicitation/complete', S.ElicitationCompleteNotificationSchema as Schema],
      ]),
    },
  }
}

function modern(): MethodTable {
  const cancelled: [string, Schema] = ['notifications/cancelled', S.CancelledNotificationSchema as Schema]
  return {
    revision: '2026-07-28',
    requests: {
      client: new Map([
        ['server/discover', req(S.DiscoverRequestSchema, S.DiscoverResultSchema)],
        ['completion/complete', req(S.CompleteRequestSchema, S.CompleteResultSchema)],
        ['prompts/get', req(S.GetPromptRequestSchema, S.GetPromptResultSchema)],
        ['prompts/list', req(S.ListPromptsRequestSchema, S.ListPromptsResultSchema)],
        ['resources/list', req(S.ListResourcesRequestSchema, S.ListResourcesResultSchema)],
        [
          'resources/templates/list',
          req(S.ListResourceTemplatesRequestSchema, S.ListResourceTemplatesResultSchema),
        ],
        ['resources/read', req(S.ReadResourceRequestSchema, S.ReadResourceResultSchema)],
        ['subscriptions/listen', req(S.SubscriptionsListenRequestSchema, S.SubscriptionsListenResultSchema)],
        ['tools/call', req(S.CallToolRequestSchema, S.CallToolResultSchema)],
        ['tools/list', req(S.ListToolsRequestSchema, S.ListToolsResultSchema)],
      ]),
      // None: on 2026-07-28 a server asks for input with input_required results.
      server: new Map(),
    },
    notifications: {
      client: new Map([cancelled]),
      server: new Map([
        cancelled,
        ['notifications/progress', S.ProgressNotificationSchema as Schema],
        ['notifications/message', S.LoggingMessageNotificationSchema as Schema],
        ['notifications/resources/updated', S.ResourceUpdatedNotificationSchema as Schema],
        ['notifications/resources/list_changed', S.ResourceListChangedNotificationSchema as Schema],
        ['notifications/tools/list_changed', S.ToolListChangedNotificationSchema as Schema],
        ['notifications/prompts/list_changed', S.PromptListChangedNotificationSchema as Schema],
        ['notifications/subscriptions/acknowledged', S.SubscriptionsAcknowledgedNotificationSchema as Schema],
      ]),
    },
  }
}

const built = new Map<ProtocolRevision, MethodTable>()

/** The revision's table, built once per process. */
export function methodTable(revision: ProtocolRevision): MethodTable {
  let table = built.get(revision)
  if (!table) {
    table = revision === '2025-11-25' ? legacy() : modern()
    built.set(revision, table)
  }
  return table
}

/** Schemas for results that depend on the request, not only its method (task-augmented calls, sampling with tools). */
export const CREATE_TASK_RESULT = S.CreateTaskResultSchema as Schema
export const CREATE_MESSAGE_WITH_TOOLS_RESULT = S.CreateMessageResultWithToolsSchema as Schema
/**
 * An embedded 2026-07-28 elicitation: its URL mode has no `elicitationId` (2026-07-28 schema.ts
 * `ElicitRequestURLParams`: mode, message, url); core's neutral schema requires 2025-11-25's.
 */
const MODERN_ELICIT_REQUEST = S.ElicitRequestSchema.extend({
  params: z.union([
    S.ElicitRequestFormParamsSchema,
    S.ElicitRequestURLParamsSchema.omit({ elicitationId: true }),
  ]),
})
/** What a 2026-07-28 `inputRequests` entry may be, by method, and what its answer must be. */
export const INPUT_REQUESTS: ReadonlyMap<string, RequestSpec> = new Map([
  ['elicitation/create', req(MODERN_ELICIT_REQUEST, S.ElicitResultSchema)],
  ['sampling/createMessage', req(S.CreateMessageRequestSchema, S.CreateMessageResultSchema)],
  ['roots/list', req(S.ListRootsRequestSchema, S.ListRootsResultSchema)],
])

const TASK_AUGMENTABLE = new Set(['tools/call', 'sampling/createMessage', 'elicitation/create'])
const hasParam = (params: unknown, key: string) =>
  typeof params === 'object' && params !== null && (params as Record<string, unknown>)[key] !== undefined

/** A request run as a task (2025-11-25 tasks): its result is the created task, not the method's. */
export function isTaskAugmented(method: string, params: unknown): boolean {
  return TASK_AUGMENTABLE.has(method) && hasParam(params, 'task')
}

/** The schema a result must match: the method's, a created task's, or sampling's with tools. */
export function resultSchemaFor(spec: RequestSpec, method: string, params: unknown): Schema {
  if (isTaskAugmented(method, params)) return CREATE_TASK_RESULT
  if (method === 'sampling/createMessage' && hasParam(params, 'tools'))
    return CREATE_MESSAGE_WITH_TOOLS_RESULT
  return spec.result
}

/** Every method either revision defines, for either sender: anything else is an extension, not checked. */
let knownMethods: Set<string> | undefined
export function isKnownMethod(method: string): boolean {
  if (!knownMethods) {
    knownMethods = new Set()
    for (const table of [methodTable('2025-11-25'), methodTable('2026-07-28')])
      for (const sender of ['client', 'server'] as const) {
        for (const m of table.requests[sender].keys()) knownMethods.add(m)
        for (const m of table.notifications[sender].keys()) knownMethods.add(m)
      }
  }
  return knownMethods.has(method)
}
