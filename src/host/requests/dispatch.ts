// How a host sends: one routed, tracked, bounded request at a time, and nothing once it is closing.
import type { Client } from '@modelcontextprotocol/client'
import { CassetteMismatchError } from '../../cassette/errors.js'
import { ServerExitError } from '../../launchers/errors.js'
import { runAttributed, type Scope } from '../../scope/index.js'
import type { HostConfig } from '../config/config-types.js'
import { ConfigError, HostClosedError, METHOD_OF, type RoutedKind } from '../errors.js'
import type { ServerEntry } from '../servers/server-entry.js'
import type { ServerSet } from '../servers/server-set.js'
import type { Call, RequestLedger } from './requests.js'
import { invalidTimeout, sdkOptions, sendTo, usableClient } from './sending.js'

export interface RequestOptions {
  /** The server to send it to; needed when several offer the name. */
  server?: string
  /** ms for the whole call: routing, listing and the request itself. */
  timeout?: number
  /** Aborting it rejects the call with the signal's reason. */
  signal?: AbortSignal
}

/** What a routed request does once it has its server: the SDK options carry the call's budget. */
export type Send<T> = (
  client: Client,
  options: { signal: AbortSignal; timeout: number | undefined },
  entry: ServerEntry,
  call: Call,
) => Promise<T>

/** One routed request for `Dispatch.request`: what it is, whom it names and how it is sent. */
export interface RoutedRequestOptions<T> {
  /** The host method it serves, named in its errors. */
  method: string
  kind: RoutedKind
  /** The tool's or prompt's name, or the resource's URI, that routes it. */
  name: string
  opts: RequestOptions
  send: Send<T>
  /** Its label on the timeline and in errors (default: the wire method and `name`). */
  label?: string
}

/** The parts of a host a Dispatch sends through. */
export interface DispatchParts {
  scope: Scope
  config: HostConfig
  servers: ServerSet
  requests: RequestLedger
}

export class Dispatch {
  readonly #scope: Scope
  readonly #config: HostConfig
  readonly #servers: ServerSet
  readonly #requests: RequestLedger

  constructor({ scope, config, servers, requests }: DispatchParts) {
    this.#scope = scope
    this.#config = config
    this.#servers = servers
    this.#requests = requests
  }

  /** Once shutdown() has begun, nothing new may start: every method but a few says so. */
  assertOpen(method: string): void {
    if (this.#scope.state !== 'open') throw new HostClosedError(this.#scope.name, method)
  }

  /** `run()` while the host is open, else a rejection with HostClosedError naming `method`. */
  whileOpen<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen(method)
    } catch (error) {
      return Promise.reject(error)
    }
    return run()
  }

  /** `timeout` checked like the config's (API.md: 1 to 2^31−1 ms), as a ConfigError naming `method`. */
  checkTimeout(method: string, timeout: unknown): ConfigError | undefined {
    const invalid = invalidTimeout(timeout)
    return invalid
      ? new ConfigError([{ path: 'timeout', message: invalid }], `${method}()'s options`)
      : undefined
  }

  /**
   * Sends one request to the server `entry`, not routed (`request()` routes by name), tracked and
   * bounded by `opts` (else the server's or host's `requestTimeout`).
   */
  requestTo(
    entry: ServerEntry,
    label: string,
    opts: RequestOptions,
    send: (client: Client, call: Call) => Promise<void>,
  ) {
    return this.#requests.track({ label, signal: opts.signal }, async (call) => {
      call.limit(opts.timeout ?? entry.config.requestTimeout ?? this.#config.requestTimeout)
      call.target(entry.name)
      const client = usableClient(entry, label)
      try {
        await sendTo(entry, label, () => send(client, call))
      } catch (error) {
        // A caller who gave up gets its own reason (SDK v2 wraps it in an error of its own).
        if (call.signal.aborted) throw call.signal.reason
        throw error
      }
    })
  }

  /**
   * A tracked call that sends nothing (a wait): bounded by `opts.timeout`, else the host's
   * `requestTimeout`, else `fallbackMs`, and by `opts.signal`; pending at its test's end, it is a leak.
   */
  wait<T>(
    label: string,
    opts: RequestOptions,
    fallbackMs: number,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.#requests.track({ label, signal: opts.signal }, (call) => {
      call.limit(opts.timeout ?? this.#config.requestTimeout ?? fallbackMs)
      return run(call.signal)
    })
  }

  /**
   * Routes, sends and tracks one request. The caller's `timeout` (else the server's or host's
   * `requestTimeout`) and `signal` bound the whole call: routing's listings, the request, and the
   * listing that checks the name after a failure.
   */
  request<T>({
    method,
    kind,
    name,
    opts,
    send,
    label = `${METHOD_OF[kind]} ${name}`,
  }: RoutedRequestOptions<T>): Promise<T> {
    const invalid = this.checkTimeout(method, opts.timeout)
    if (invalid) return Promise.reject(invalid)
    return this.whileOpen(method, () =>
      this.#requests.track({ label, signal: opts.signal }, async (call) => {
        call.limit(opts.timeout ?? this.#config.requestTimeout)
        const { entry, verify } = await this.#servers.target({
          kind,
          name,
          server: opts.server,
          signal: call.signal,
        })
        // shutdown() began while routing: nothing more is sent.
        this.assertOpen(method)
        call.target(entry.name)
        call.limit(opts.timeout ?? entry.config.requestTimeout ?? this.#config.requestTimeout)
        const client = usableClient(entry, label)
        let result: T
        try {
          result = await sendTo(entry, label, () => send(client, sdkOptions(call), entry, call))
        } catch (error) {
          // A caller who gave up gets its own reason; nothing more is asked of the server.
          if (call.signal.aborted) throw call.signal.reason
          // A replay's mismatch is the answer: listing to verify would be one more unrecorded request.
          if (verify && !(error instanceof ServerExitError) && !(error instanceof CassetteMismatchError))
            await verify(call.signal)
          throw error
        }
        // An unknown tool comes back from an SDK server as an error result, not a rejection.
        if (verify && (result as { isError?: unknown } | undefined)?.isError === true)
          await verify(call.signal)
        return result
      }),
    )
  }

  /**
   * A client handler's call, tracked like a request: charged to the test whose request the server is
   * answering (the newest one a test has pending), else to whoever the incoming request runs for.
   */
  trackHandler<T>(
    server: string,
    method: string,
    signal: AbortSignal,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const requests = this.#requests
      .pending()
      .reverse()
      .filter((r) => r.kind === 'request')
    const asking = requests.find((r) => r.attribution !== undefined && !r.attribution.shared)
    // No user frame is on a handler's stack (the SDK calls it): it is shown at the asking request's
    // line (without the plugin's tests to tell requests apart: the newest pending one's).
    const track = () =>
      this.#requests.track(
        {
          label: `${method} from server "${server}"`,
          signal,
          kind: 'handler',
          origin: (asking ?? requests[0])?.callSite,
        },
        (call) => {
          call.target(server)
          return run(call.signal)
        },
      )
    return asking?.attribution ? runAttributed(asking.attribution, track) : track()
  }
}
