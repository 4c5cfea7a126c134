// `mcpHost({ observe: 'all' })`, the heavy half, loaded only once a test file has loaded an MCP SDK
// client module (./observe-hook.ts): `Client.prototype.connect` of that module instance connects
// the client through a WireTap instead of its transport, with the wire check, tool coverage and the
// pending-request check listening. The client itself is the test's own: nothing is aborted or closed.

import { pathToFileURL } from 'node:url'
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/client'
import { serverIdentity } from '../../host/records/tool-usage.js'
import { isHarnessClient } from '../../launchers/client/harness-clients.js'
import type { ServerConfig } from '../../launchers/server-config.js'
import { redactUrl } from '../../launchers/util/redact-url.js'
import { commandName } from '../../report/command-name.js'
import { hintFor } from '../../report/leak-advice.js'
import { type CallSite, captureCallSite, type Leak, LeakError, siteOf } from '../../scope/index.js'
import {
  createWireChecker,
  describeViolation,
  ProtocolViolationError,
  type Violation,
} from '../../wire/check/index.js'
import { WireTap } from '../../wire/tap.js'
import { currentRun, type ObserveSettings } from './observed-runs.js'
import { toolUsageListener } from './observed-tool-usage.js'
import type { TestAttempt } from './test-attempt.js'

type Connect = (this: object, transport: unknown, options?: unknown) => Promise<void>

/** Live observed connections (a closed one leaves): where a test's pending requests are looked for. */
const live = new Set<ObservedConnection>()
const patched = new WeakSet<object>()
const violationsOf = new WeakMap<TestAttempt, Violation[]>()
const outsideTests: Violation[] = []

/** Patches the `Client` that `file` (an SDK client module, already loaded by the test file) exports. */
export async function patchClientModule(file: string, settings: ObserveSettings): Promise<void> {
  const loaded = (await import(pathToFileURL(file).href)) as {
    Client?: unknown
    default?: { Client?: unknown }
  }
  const Client = loaded.Client ?? loaded.default?.Client
  if (typeof Client !== 'function') return
  settingsWire = settings.wire
  const prototype = Client.prototype as { connect: Connect }
  if (patched.has(prototype)) return
  patched.add(prototype)
  const connect = prototype.connect
  prototype.connect = function observedConnect(transport, options) {
    // The host's own clients are its business (and already on its tap after the eras work).
    if (isHarnessClient(this) || transport instanceof WireTap || !isTransport(transport))
      return connect.call(this, transport, options)
    // Here the test's own line is on the stack; by the time `initialize` is sent (after the
    // transport started) it may not be any more.
    const observed = new ObservedConnection(transport, settings, captureCallSite())
    const connecting = connect.call(this, observed.tap, options)
    observed.connecting(connecting)
    return connecting
  }
}

function isTransport(value: unknown): value is ConstructorParameters<typeof WireTap>[0] {
  const t = value as { start?: unknown; send?: unknown; close?: unknown } | null
  return typeof t?.start === 'function' && typeof t.send === 'function' && typeof t.close === 'function'
}

interface KnownTransport {
  /** The SDK's StdioClientTransport's parameters (v1 and v2). */
  readonly _serverParams?: { command?: unknown; args?: unknown; cwd?: unknown }
  /** The SDK's HTTP and SSE client transports' URL. */
  readonly _url?: unknown
}

/**
 * How a server is named until its `initialize` (or `server/discover`) answer names it: the command
 * line of a stdio transport, the URL of an HTTP one (no secrets), else the transport's class.
 */
function provisionalName(transport: object): string {
  const { _serverParams: params, _url: url } = transport as KnownTransport
  if (typeof params?.command === 'string') {
    const args = Array.isArray(params.args) ? params.args.map(String) : []
    return commandName([params.command, ...args].join(' '))
  }
  if (url instanceof URL || typeof url === 'string') return redactUrl(String(url))
  return transport.constructor?.name || 'server'
}

/** What a transport talks to, for tool coverage: the command of a stdio one, the URL of an HTTP one. */
function identityOf(transport: object): string {
  const { _serverParams: params, _url: url } = transport as KnownTransport
  try {
    if (typeof params?.command === 'string') {
      const args = Array.isArray(params.args) ? params.args.map(String) : []
      const cwd = typeof params.cwd === 'string' ? params.cwd : undefined
      return serverIdentity({ transport: 'stdio', command: params.command, args, cwd } as ServerConfig)
    }
    if (url instanceof URL || typeof url === 'string')
      return serverIdentity({ transport: 'http', url: String(url) } as ServerConfig)
  } catch {
    // An unusual transport: named by its class below.
  }
  return `client transport: ${transport.constructor?.name || 'anonymous'}`
}

interface Sent {
  readonly run: TestAttempt | undefined
  readonly site: CallSite
}

class ObservedConnection {
  readonly tap: WireTap
  /**
   * The server's own name (its `initialize` or `server/discover` answer), until then what its
   * transport talks to (see provisionalName).
   */
  name: string
  readonly #sent = new Map<unknown, Sent>()
  /** Where the test called `connect()`, while it runs: the site of the requests it sends. */
  #connectSite: CallSite | undefined

  constructor(
    transport: ConstructorParameters<typeof WireTap>[0],
    settings: ObserveSettings,
    connectSite: CallSite,
  ) {
    this.tap = new WireTap(transport)
    this.name = provisionalName(transport)
    this.#connectSite = connectSite
    live.add(this)
    this.tap.listen({
      outbound: (e) => {
        const m = e.message as { id?: unknown; method?: unknown }
        if (m.id !== undefined && typeof m.method === 'string')
          this.#sent.set(m.id, { run: currentRun(), site: this.#connectSite ?? captureCallSite() })
      },
      inbound: (e) => {
        const m = e.message as { id?: unknown; result?: { serverInfo?: { name?: unknown } } }
        if (m.id !== undefined) this.#sent.delete(m.id)
        const name = m.result?.serverInfo?.name
        if (typeof name === 'string' && name !== '') this.name = name
        return undefined
      },
      close: () => {
        live.delete(this)
        this.#sent.clear()
      },
    })
    if (settings.wire !== 'off') {
      const checker = createWireChecker({
        server: this.name,
        report: (v) => charge({ ...v, server: this.name }),
      })
      this.tap.listen(checker)
    }
    if (settings.toolCoverage) this.tap.listen(toolUsageListener(() => this.name, identityOf(transport)))
  }

  /** `connect()` is under way until `connecting` settles: its requests are sited at its call. */
  connecting(connecting: Promise<unknown>): void {
    const done = () => {
      this.#connectSite = undefined
    }
    connecting.then(done, done)
  }

  /** Requests `run` sent on this connection and still unanswered, as leaks; each is abandoned. */
  leaksOf(run: TestAttempt, now: number): Leak[] {
    const leaks: Leak[] = []
    for (const request of this.tap.pending()) {
      const sent = this.#sent.get(request.id)
      if (request.origin !== 'client' || sent?.run !== run) continue
      const tool = (request.params as { name?: unknown } | undefined)?.name
      leaks.push({
        kind: 'request',
        label: `${request.method}${typeof tool === 'string' ? ` ${tool}` : ''} to "${this.name}" (a client the test made)`,
        createdIn: siteOf(run.label, sent.site),
        frame: sent.site.frame,
        detail: `still pending after ${Math.round(now - request.at)} ms; aborted`,
        hint: hintFor('request'),
      })
      this.#sent.delete(request.id)
      this.#abandon(request.id)
    }
    return leaks
  }

  /**
   * Ends a request its test left pending, as the host aborts its own: the client's promise rejects
   * now (an error answer handed to the client only: no listener sees it, it never was on the wire),
   * and the server is told it was cancelled. Nothing of it outlives the test into the next one.
   */
  #abandon(id: RequestId): void {
    this.tap.onmessage?.({
      jsonrpc: '2.0',
      id,
      error: { code: ABANDONED_CODE, message: ABANDONED_MESSAGE },
    } as JSONRPCMessage)
    this.tap
      .send({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: id, reason: ABANDONED_MESSAGE },
      } as JSONRPCMessage)
      // A connection already closed has nothing left to cancel.
      .catch(() => {})
  }
}

/** JSON-RPC's "server error" range, implementation-defined: the SDKs reject the request with it. */
const ABANDONED_CODE = -32000
const ABANDONED_MESSAGE = 'abandoned by vitest-mcp-host: the test ended while it was pending'

function charge(violation: Violation): void {
  const run = currentRun()
  if (!run) return void outsideTests.push(violation)
  let list = violationsOf.get(run)
  if (!list) violationsOf.set(run, (list = []))
  list.push(violation)
}

let settingsWire: ObserveSettings['wire'] = 'error'

/** What observed clients left for `run` (undefined: outside any test, at the file's end). */
export function problemsOf(run: TestAttempt | undefined): Error[] {
  const violations = run ? (violationsOf.get(run) ?? []) : outsideTests.splice(0)
  if (run) violationsOf.delete(run)
  const failing = settingsWire === 'error' ? violations.filter((v) => v.severity === 'error') : []
  for (const v of violations)
    if (!failing.includes(v)) console.warn(`vitest-mcp-host: ${describeViolation(v)}`)
  const problems: Error[] = failing.length > 0 ? [new ProtocolViolationError(failing)] : []
  if (!run) return problems
  const now = performance.now()
  const leaks = [...live].flatMap((connection) => connection.leaksOf(run, now))
  if (leaks.length > 0) problems.unshift(new LeakError(run.label, leaks))
  return problems
}
