/**
 * The wire check: a TapListener that checks every JSON-RPC message of one connection, both
 * directions, against the landed revision (API.md "Wire check"), and reports each broken rule as
 * a Violation. It never changes or consumes a message. Memory is bounded: in-flight and answered
 * ids are kept up to a fixed count, and each rule is reported at most MAX_REPORTS_PER_RULE times.
 * @example
 * const checker = createWireChecker({ server: 'weather', report: (v) => violations.push(v) })
 * tap.listen(checker)           // era(version) arrives from the tap once the connection landed
 */
import type { TapListener, WireEvent } from '../tap-types.js'
import { BoundedMap, BoundedSet } from './bounded.js'
import { type CheckContext, type Flag, type IdKey, isObject, type Message } from './context.js'
import { checkError } from './error-codes.js'
import { Lifecycle } from './lifecycle.js'
import {
  isKnownMethod,
  isTaskAugmented,
  type MethodTable,
  methodTable,
  type RequestSpec,
  resultSchemaFor,
  type Schema,
  type Sender,
} from './methods.js'
import { ModernRules } from './modern.js'
import { type ProtocolRevision, type RuleId, ruleOf, specLink } from './rules.js'
import { schemaProblem } from './schema-issue.js'
import { ToolOutput, type UnlistedOutput } from './tool-output.js'
import { excerptOf, joinPath, type Violation } from './violation.js'

export interface WireCheckerOptions {
  /** The server's name in the host config (every violation names it). */
  server: string
  /** The landed revision, if known; else set later with `era(version)` (the tap's signal). */
  revision?: ProtocolRevision
  /** Rule ids not to report for this server. */
  ignore?: readonly string[]
  /** A tool's outputSchema, where the caller knows it better than the tools/list results seen here. */
  outputSchemas?: (tool: string) => object | undefined
  /**
   * A tools/call result with `structuredContent` arrived before any tools/list on this connection:
   * list the tools (the listing passes this checker), then call `check`. Without it, such a result
   * is checked against no schema.
   */
  unlistedOutput?: UnlistedOutput
  report(violation: Violation): void
}

export interface WireChecker extends TapListener {
  /** Checks a message from the server; never consumes it. */
  inbound(e: WireEvent): undefined
  /** Checks a message from the host (its requests and its answers to server requests). */
  outbound(e: WireEvent): void
  /** The landed protocol version (`setProtocolVersion`): 2026-07-28 and later are the modern revision. */
  era(version: string): void
  /** A stdout line of a stdio server that is not JSON (the transport calls this instead of parsing it). */
  nonJsonLine(line: string): void
  /** A stdout line of a stdio server that is JSON but no JSON-RPC message (the transport dropped it). */
  nonRpcLine(line: string): void
  readonly revision: ProtocolRevision | undefined
}

/** Reports of one rule kept per connection; a flood of one bug is one bug. */
export const MAX_REPORTS_PER_RULE = 100
const MAX_IN_FLIGHT = 10_000
const MAX_ANSWERED = 1_000

interface Pending {
  readonly method: string
  readonly params: unknown
}

const other = (sender: Sender): Sender => (sender === 'client' ? 'server' : 'client')

class Checker implements WireChecker, CheckContext {
  revision: ProtocolRevision | undefined
  private readonly ignore: ReadonlySet<string>
  private readonly counts = new Map<string, number>()
  private readonly inFlight = {
    client: new BoundedMap<IdKey, Pending>(MAX_IN_FLIGHT),
    server: new BoundedMap<IdKey, Pending>(MAX_IN_FLIGHT),
  }
  private readonly answered = {
    client: new BoundedSet<IdKey>(MAX_ANSWERED),
    server: new BoundedSet<IdKey>(MAX_ANSWERED),
  }
  private readonly lifecycle = new Lifecycle(this)
  private readonly modern = new ModernRules(this)
  private readonly tools: ToolOutput

  constructor(private readonly options: WireCheckerOptions) {
    this.revision = options.revision
    this.ignore = new Set(options.ignore ?? [])
    this.tools = new ToolOutput(this, options.outputSchemas, options.unlistedOutput)
  }

  // TapListener
  inbound(e: WireEvent): undefined {
    this.check('server', e.message)
    return undefined
  }

  outbound(e: WireEvent): void {
    this.check('client', e.message)
  }

  era(version: string): void {
    this.revision = version >= '2026-07-28' ? '2026-07-28' : '2025-11-25'
  }

  nonJsonLine(line: string): void {
    this.flag('stdio.non-json-line', 'server', {
      message: 'the server wrote a line to stdout that is not JSON',
      value: line,
    })
  }

  nonRpcLine(line: string): void {
    this.flag('jsonrpc.message', 'server', {
      message: 'the server wrote a line to stdout that is JSON but not a JSON-RPC message (it was dropped)',
      value: line,
    })
  }

  flag(id: RuleId, sender: Sender, flag: Flag): void {
    if (this.ignore.has(id)) return
    const rule = ruleOf(id)
    const revision = this.revision ?? '2025-11-25'
    if (rule.spec[revision] === undefined) return
    const count = this.counts.get(id) ?? 0
    if (count >= MAX_REPORTS_PER_RULE) return
    this.counts.set(id, count + 1)
    const violation: Violation = {
      rule: id,
      severity: rule.severity,
      direction: sender === 'client' ? 'host' : 'server',
      server: this.options.server,
      ...(flag.method === undefined ? {} : { method: flag.method }),
      ...(flag.path === undefined ? {} : { path: flag.path }),
      message: flag.message,
      spec: specLink(rule, revision),
      ...('value' in flag ? { excerpt: excerptOf(flag.value) } : {}),
    }
    this.options.report(violation)
  }

  /** Tables to look a method up in: the landed revision's, or before landing both (legacy first). */
  private tables(): MethodTable[] {
    return this.revision
      ? [methodTable(this.revision)]
      : [methodTable('2025-11-25'), methodTable('2026-07-28')]
  }

  private requestSpec(sender: Sender, method: string): RequestSpec | undefined {
    for (const table of this.tables()) {
      const spec = table.requests[sender].get(method)
      if (spec) return spec
    }
    return undefined
  }

  private notificationSpec(sender: Sender, method: string): Schema | undefined {
    for (const table of this.tables()) {
      const spec = table.notifications[sender].get(method)
      if (spec) return spec
    }
    return undefined
  }

  private check(sender: Sender, message: unknown): void {
    if (!isObject(message)) {
      this.flag('jsonrpc.message', sender, { message: 'a message must be a JSON object', value: message })
      return
    }
    if (message.jsonrpc !== '2.0')
      this.flag('jsonrpc.version', sender, {
        method: typeof message.method === 'string' ? message.method : undefined,
        path: 'jsonrpc',
        message: 'jsonrpc must be "2.0"',
        value: message.jsonrpc,
      })
    if (typeof message.method === 'string') {
      if ('id' in message) this.request(sender, message.method, message)
      else this.notification(sender, message.method, message)
    } else if ('result' in message || 'error' in message) this.response(sender, message)
    else
      this.flag('jsonrpc.message', sender, {
        message: 'neither a request (method, id), a notification (method) nor a response (result or error)',
        value: message,
      })
  }

  private request(sender: Sender, method: string, m: Message): void {
    const id = m.id
    if (typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id))) {
      const inFlight = this.inFlight[sender]
      if (inFlight.has(id))
        this.flag('jsonrpc.id-reused', sender, {
          method,
          path: 'id',
          message: 'this id is still in flight',
          value: id,
        })
      inFlight.set(id, { method, params: m.params })
    } else
      this.flag('jsonrpc.id', sender, {
        method,
        path: 'id',
        message: 'a request id must be a string or an integer',
        value: id,
      })
    const spec = this.requestSpec(sender, method)
    if (!spec) {
      this.unlisted(sender, method, 'request')
      return
    }
    const problem = schemaProblem(spec.request, m)
    if (problem)
      this.flag('schema.request', sender, {
        method,
        path: joinPath('', problem.segments),
        message: problem.message,
        value: m.params,
      })
    this.lifecycle.request(sender, method)
    if (sender === 'client') this.modern.clientRequest(method, m)
  }

  /** A method the revision does not define for this sender: flagged when it is MCP's at all. */
  private unlisted(sender: Sender, method: string, kind: 'request' | 'notification'): void {
    if (sender === 'server' && kind === 'request' && this.revision === '2026-07-28') {
      this.flag('modern.server-request', sender, { method, message: 'a 2026-07-28 server sends no requests' })
      return
    }
    // The tasks extension (io.modelcontextprotocol/tasks) reuses 2025-11-25's task method names.
    if (this.revision === '2026-07-28' && method.startsWith('tasks/')) return
    if (isKnownMethod(method))
      this.flag('schema.method', sender, {
        method,
        message: `${this.revision ?? 'this protocol'} has no ${kind} ${method} from the ${sender}`,
      })
  }

  private notification(sender: Sender, method: string, m: Message): void {
    const schema = this.notificationSpec(sender, method)
    if (!schema) {
      this.unlisted(sender, method, 'notification')
      return
    }
    const problem = schemaProblem(schema, m)
    if (problem)
      this.flag('schema.notification', sender, {
        method,
        path: joinPath('', problem.segments),
        message: problem.message,
        value: m.params,
      })
    this.lifecycle.notification(sender, method)
    if (sender === 'server') this.modern.serverNotification(method, m)
  }

  private response(sender: Sender, m: Message): void {
    const hasResult = 'result' in m
    const hasError = 'error' in m
    if (hasResult && hasError)
      this.flag('jsonrpc.result-or-error', sender, {
        path: 'result',
        message: 'a response has both result and error',
      })
    const requester = other(sender)
    const id = m.id
    const key = typeof id === 'string' || typeof id === 'number' ? id : undefined
    const pending = key === undefined ? undefined : this.inFlight[requester].get(key)
    if (key === undefined || !pending) {
      // An error without an id answers a request whose id could not be read (basic#error-responses).
      if (hasError && !hasResult && (id === null || id === undefined)) {
        checkError(this, sender, undefined, m.error)
        return
      }
      const duplicate = key !== undefined && this.answered[requester].has(key)
      this.flag(duplicate ? 'jsonrpc.duplicate-response' : 'jsonrpc.unknown-id', sender, {
        path: 'id',
        message: duplicate
          ? 'this request was already answered'
          : `no request with this id was sent by the ${requester}`,
        value: id,
      })
      return
    }
    this.inFlight[requester].delete(key)
    this.answered[requester].add(key)
    const method = pending.method
    if (hasError && !hasResult) {
      checkError(this, sender, method, m.error)
      return
    }
    const result = m.result
    if (!isObject(result)) {
      this.flag('schema.result', sender, {
        method,
        path: 'result',
        message: 'a result must be an object',
        value: result,
      })
      return
    }
    if (sender === 'server' && !this.modern.result(method, result)) return
    const spec = this.requestSpec(requester, method)
    if (!spec) return
    const task = isTaskAugmented(method, pending.params)
    const schema = resultSchemaFor(spec, method, pending.params)
    const problem = schemaProblem(schema, result)
    if (problem)
      this.flag('schema.result', sender, {
        method,
        path: joinPath('result', problem.segments),
        message: problem.message,
        value: result,
      })
    else if (method === 'tools/call' && !task && !Array.isArray(result.content))
      // core's schema defaults a missing content to []; both revisions' schema.ts require it.
      this.flag('schema.result', sender, {
        method,
        path: 'result.content',
        message: 'a tool result needs content (an array)',
      })
    this.lifecycle.result(requester, method)
    if (method === 'tools/list') this.tools.listed(result)
    else if (method === 'tools/call' && !task) this.tools.called(pending.params, result)
  }
}

/** A wire checker for one connection to `server` (see WireChecker). */
export function createWireChecker(options: WireCheckerOptions): WireChecker {
  return new Checker(options)
}
