/**
 * 2026-07-28's own rules: per-request `_meta`, `resultType` on every result, input_required rounds
 * (where they may appear, their shape, the client's answers), and the subscription id on
 * notifications of a `subscriptions/listen` stream.
 */
import { BoundedMap } from './bounded.js'
import { type CheckContext, isObject, type Message } from './context.js'
import { INPUT_REQUESTS } from './methods.js'
import { schemaProblem } from './schema-issue.js'
import { joinPath } from './violation.js'

const PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion'
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities'
const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId'

/** resultType values of the core protocol, and `task` of the tasks extension (io.modelcontextprotocol/tasks). */
const RESULT_TYPES = new Set(['complete', 'input_required', 'task'])
const INPUT_REQUIRED_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read'])
/** Delivered only on a listen stream (schema.ts: "only delivered on a subscriptions/listen stream"). */
const STREAM_NOTIFICATIONS = new Set([
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/list_changed',
  'notifications/resources/updated',
  'notifications/subscriptions/acknowledged',
])

export class ModernRules {
  /** inputRequests keys the server asked, with their method: what the retry's inputResponses must answer. */
  private readonly asked = new BoundedMap<string, string>(1_000)

  constructor(private readonly ctx: CheckContext) {}

  private get active(): boolean {
    return this.ctx.revision === '2026-07-28'
  }

  /** A client request: its `_meta` envelope and, on a retry, its inputResponses. */
  clientRequest(method: string, m: Message): void {
    if (!this.active) return
    const params = m.params
    const meta = isObject(params) ? params._meta : undefined
    if (
      !isObject(meta) ||
      typeof meta[PROTOCOL_VERSION] !== 'string' ||
      !isObject(meta[CLIENT_CAPABILITIES])
    ) {
      this.ctx.flag('modern.request-meta', 'client', {
        method,
        path: 'params._meta',
        message: `a 2026-07-28 request needs _meta["${PROTOCOL_VERSION}"] (a string) and _meta["${CLIENT_CAPABILITIES}"] (an object)`,
        value: meta,
      })
    }
    const responses = isObject(params) ? params.inputResponses : undefined
    if (!isObject(responses)) return
    for (const key of Object.keys(responses)) {
      const asked = this.asked.get(key)
      const spec = asked === undefined ? undefined : INPUT_REQUESTS.get(asked)
      if (!spec) continue
      const problem = schemaProblem(spec.result, responses[key])
      if (problem)
        this.ctx.flag('modern.input-responses', 'client', {
          method,
          path: joinPath(`params.inputResponses[${JSON.stringify(key)}]`, problem.segments),
          message: `the answer to the server's ${asked} is invalid: ${problem.message}`,
          value: responses[key],
        })
    }
  }

  /**
   * A server's result to `method`: false when it is not a complete result (input_required, task),
   * so the method's own result schema does not apply.
   */
  result(method: string, result: Message): boolean {
    if (!this.active) return true
    const type = result.resultType
    if (type === undefined) {
      this.ctx.flag('modern.result-type', 'server', {
        method,
        path: 'result.resultType',
        message: 'a 2026-07-28 result must have a resultType',
      })
      return true
    }
    if (typeof type !== 'string' || !RESULT_TYPES.has(type)) {
      this.ctx.flag('modern.result-type', 'server', {
        method,
        path: 'result.resultType',
        message: `unknown resultType (known: ${[...RESULT_TYPES].join(', ')})`,
        value: type,
      })
      return false
    }
    if (type === 'input_required') {
      this.inputRequired(method, result)
      return false
    }
    return type === 'complete'
  }

  private inputRequired(method: string, result: Message): void {
    const flag = (path: string, message: string, value?: unknown) =>
      this.ctx.flag('modern.input-required', 'server', { method, path, message, value })
    if (!INPUT_REQUIRED_METHODS.has(method))
      flag('result.resultType', `input_required is allowed only on ${[...INPUT_REQUIRED_METHODS].join(', ')}`)
    const { inputRequests, requestState } = result
    if (inputRequests === undefined && requestState === undefined)
      flag('result', 'an input_required result needs inputRequests or requestState')
    if (requestState !== undefined && typeof requestState !== 'string')
      flag('result.requestState', 'requestState must be a string', requestState)
    if (inputRequests === undefined) return
    if (!isObject(inputRequests)) {
      flag('result.inputRequests', 'inputRequests must be an object of requests by key', inputRequests)
      return
    }
    for (const [key, request] of Object.entries(inputRequests)) {
      const path = `result.inputRequests[${JSON.stringify(key)}]`
      const asked = isObject(request) && typeof request.method === 'string' ? request.method : undefined
      const spec = asked === undefined ? undefined : INPUT_REQUESTS.get(asked)
      if (!spec || asked === undefined) {
        flag(
          `${path}.method`,
          'an input request must be elicitation/create, sampling/createMessage or roots/list',
          request,
        )
        continue
      }
      const problem = schemaProblem(spec.request, request)
      if (problem) flag(joinPath(path, problem.segments), problem.message, request)
      this.asked.set(key, asked)
    }
  }

  /** A server notification: the subscription id where the stream requires it. */
  serverNotification(method: string, m: Message): void {
    if (!this.active || !STREAM_NOTIFICATIONS.has(method)) return
    const meta = isObject(m.params) ? m.params._meta : undefined
    const id = isObject(meta) ? meta[SUBSCRIPTION_ID] : undefined
    if (typeof id !== 'string' && typeof id !== 'number')
      this.ctx.flag('modern.subscription-id', 'server', {
        method,
        path: `params._meta["${SUBSCRIPTION_ID}"]`,
        message: `${method} is delivered on a subscriptions/listen stream and must name it in _meta`,
        value: meta,
      })
  }
}
