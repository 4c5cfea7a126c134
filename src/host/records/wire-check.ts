// The wire check on a host's connections (API.md "Wire check"): one checker per connection of each
// server, its violations recorded in the host's WireLedger with the test they travelled for, and
// marked on the server's timeline. Also the two things no message shows: a stdio server's non-JSON
// line, and a host handler's answer that was not sent because it was malformed.
import type { InvalidAnswer } from '../../launchers/client/client.js'
import { NOT_JSON_RPC, type StdoutNoise } from '../../launchers/output/stdout-noise.js'
import type { Timeline } from '../../launchers/timeline.js'
import { type Attribution, currentAttribution } from '../../scope/index.js'
import {
  createWireChecker,
  describeViolation,
  resolveWire,
  specLink,
  type Violation,
  type WireChecker,
  type WireSeverity,
} from '../../wire/check/index.js'
import { ruleOf } from '../../wire/check/rules.js'
import { excerptOf } from '../../wire/check/violation.js'
import type { WireTap } from '../../wire/tap.js'
import type { ServerConfig } from '../config/config-types.js'
import { WireLedger, wireDefault } from './wire-ledger.js'

type Id = string | number

function requestId(message: object): Id | undefined {
  const { id, method } = message as { id?: unknown; method?: unknown }
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? id : undefined
}

function responseId(message: object): Id | undefined {
  const { id, method } = message as { id?: unknown; method?: unknown }
  return method === undefined && (typeof id === 'string' || typeof id === 'number') ? id : undefined
}

/** Lists a server's tools on its current connection (bounded by `signal`); the check sees the listing. */
export type ListTools = (signal: AbortSignal) => Promise<unknown>

/** How long a listing for the output check may take; past it the result is checked against nothing. */
export const OUTPUT_LISTING_MS = 5000

interface Travelled {
  readonly attribution: Attribution | undefined
  readonly at: number
}

/** What one server's wire check needs: its name, the config's check settings and where it records. */
export interface ServerWireCheckOptions {
  server: string
  severity: WireSeverity
  /** Rule ids the config ignores. */
  ignore: readonly string[]
  ledger: WireLedger
  timeline: Timeline
  /** Lists the server's tools for the output check; without it a result is checked against nothing. */
  listTools?: ListTools
}

/** One server's wire check across its connections (a restart or a re-connect gets a new checker). */
export class ServerWireCheck {
  readonly #server: string
  readonly #severity: WireSeverity
  readonly #ignore: ReadonlySet<string>
  readonly #ledger: WireLedger
  readonly #timeline: Timeline
  readonly #listTools: ListTools | undefined
  #checker: WireChecker | undefined

  constructor({ server, severity, ignore, ledger, timeline, listTools }: ServerWireCheckOptions) {
    this.#server = server
    this.#severity = severity
    this.#ignore = new Set(ignore)
    this.#ledger = ledger
    this.#timeline = timeline
    this.#listTools = listTools
  }

  /** Checks every message on `tap` from now on (before any travels: initialize included). */
  listen(tap: WireTap): void {
    // Who a message travels for: a response, the test that sent its request; anything else, the
    // code running now. Requests are forgotten when answered or when the connection closes.
    const sentFor = new Map<Id, Attribution | undefined>()
    let travelsFor: Attribution | undefined
    // A check deferred until the tools are listed reports for the message it checks.
    let deferred: Travelled | undefined
    tap.listen({
      outbound: (e) => {
        travelsFor = currentAttribution()
        const id = requestId(e.message)
        if (id !== undefined) sentFor.set(id, travelsFor)
      },
      inbound: (e) => {
        const id = responseId(e.message)
        travelsFor = id !== undefined && sentFor.has(id) ? sentFor.get(id) : currentAttribution()
        if (id !== undefined) sentFor.delete(id)
        return undefined
      },
      close: () => sentFor.clear(),
    })
    // One listing per connection at most, whatever number of results wait for it.
    let listing: Promise<unknown> | undefined
    // With the rule ignored, nothing is listed for it.
    const listTools = this.#ignore.has('tool.output-schema') ? undefined : this.#listTools
    const unlistedOutput =
      listTools &&
      ((check: () => void) => {
        const travelled: Travelled = { attribution: travelsFor, at: performance.now() }
        listing ??= listTools(AbortSignal.timeout(OUTPUT_LISTING_MS)).catch(() => {})
        this.#ledger.defer(
          listing.then(() => {
            deferred = travelled
            try {
              check()
            } finally {
              deferred = undefined
            }
          }),
        )
      })
    const checker = createWireChecker({
      server: this.#server,
      ignore: [...this.#ignore],
      ...(unlistedOutput && { unlistedOutput }),
      report: (violation) =>
        deferred
          ? this.#record(violation, deferred.attribution, deferred.at)
          : this.#record(violation, travelsFor),
    })
    this.#checker = checker
    tap.listen(checker)
  }

  /** A line of the server's stdout that is no JSON-RPC message (the stdio transport dropped it). */
  noise(noise: StdoutNoise): boolean {
    // A line dropped for its size may well be a message: only what could not be one is flagged.
    if (noise.reason.startsWith('over ') || !this.#checker) return false
    if (noise.reason === NOT_JSON_RPC) this.#checker.nonRpcLine(noise.line)
    else this.#checker.nonJsonLine(noise.line)
    return true
  }

  /**
   * A handler of the host answered `method` with something that is no valid result; the server got
   * an error instead. The host's violation (`schema.result`), whoever asked.
   */
  invalidAnswer(method: string, { path, message, value }: InvalidAnswer): void {
    if (this.#ignore.has('schema.result')) return
    const rule = ruleOf('schema.result')
    const revision = this.#checker?.revision
    this.#record(
      {
        rule: rule.id,
        severity: rule.severity,
        direction: 'host',
        server: this.#server,
        method,
        path,
        message: `${message} (the handler's answer; the server was sent an error instead)`,
        spec: specLink(rule, revision),
        excerpt: excerptOf(value),
      },
      currentAttribution(),
    )
  }

  #record(violation: Violation, attribution: Attribution | undefined, at = performance.now()): void {
    const listed = this.#severity === 'warn' || violation.severity === 'warn'
    this.#ledger.record({ violation, attribution, at, listed })
    this.#timeline.record(listed ? 'wire-warning' : 'wire-violation', describeViolation(violation))
  }
}

interface ServerLike {
  readonly name: string
  readonly config: ServerConfig
  readonly timeline: Timeline
}

/** A host's wire check: a ServerWireCheck per server it ran (none where it is off), one ledger. */
export class HostWireCheck {
  readonly ledger = new WireLedger()
  readonly #hostWire: WireSeverity | undefined
  readonly #servers = new WeakMap<ServerLike, ServerWireCheck | null>()
  readonly #listTools: ((server: ServerLike, signal: AbortSignal) => Promise<unknown>) | undefined

  /** `listTools`: how a server's tools are listed when a tool result needs their outputSchema. */
  constructor(
    hostWire: WireSeverity | undefined,
    listTools?: (server: ServerLike, signal: AbortSignal) => Promise<unknown>,
  ) {
    this.#hostWire = hostWire
    this.#listTools = listTools
  }

  /** The check of `server` (one per server run, whatever its connections), as the three levels of `wire` say. */
  of(server: ServerLike): ServerWireCheck | undefined {
    const listTools = this.#listTools
    let check = this.#servers.get(server)
    if (check === undefined) {
      const { severity, ignore } = resolveWire({
        plugin: wireDefault(),
        host: this.#hostWire,
        server: server.config.wire,
      })
      check =
        severity === 'off'
          ? null
          : new ServerWireCheck({
              server: server.name,
              severity,
              ignore,
              ledger: this.ledger,
              timeline: server.timeline,
              listTools: listTools && ((signal) => listTools(server, signal)),
            })
      this.#servers.set(server, check)
    }
    return check ?? undefined
  }
}
