// The host's own side of the protocol (`client` in its config): what each server's client answers.
import type { Root } from '@modelcontextprotocol/client'
import type { ClientSide, HandlerTracker, InvalidAnswer } from '../../launchers/client/client.js'
import { DEFAULT_PROTOCOL, type ProtocolSetting } from '../../launchers/client/protocol.js'
import type { Timeline } from '../../launchers/timeline.js'
import type { WireTap } from '../../wire/tap.js'
import type { ClientConfig, ServerConfig } from '../config/config-types.js'

/** How the host takes part in each server's client; both optional. */
export interface ClientSideHooks {
  /** How the host tracks one handler call of `server` (see `HandlerTracker`). */
  readonly track?: (server: string) => HandlerTracker
  /** Sees every connection's wire tap of `server` (run as `config`) before any message travels on it. */
  readonly observe?: (server: string, config: ServerConfig, tap: WireTap) => void
  /** A handler of `server`'s client returned a malformed answer (the server got an error instead). */
  readonly invalidAnswer?: (server: string, method: string, problem: InvalidAnswer) => void
  /** The host's `protocol` (a server's own overrides it); default DEFAULT_PROTOCOL. */
  readonly protocol?: ProtocolSetting
}

export class HostClientSide {
  readonly #config: ClientConfig | undefined
  readonly #hooks: ClientSideHooks
  #roots: readonly Root[] | undefined

  /** `config` is validated and frozen (validateHostConfig). */
  constructor(config: ClientConfig | undefined, hooks: ClientSideHooks = {}) {
    this.#config = config
    this.#hooks = hooks
    this.#roots = config?.roots
  }

  /** Whether the roots capability was declared (fixed at connect: `setRoots()` needs it). */
  get hasRoots(): boolean {
    return this.#roots !== undefined
  }

  /** Replaces the roots every server is answered from now on (validated and frozen by the caller). */
  setRoots(roots: readonly Root[]): void {
    this.#roots = roots
  }

  /**
   * The client side of one server: its handlers see `server`, their failures go to `timeline`;
   * `landed` is told the protocol revision each of its connections landed on.
   */
  forServer(
    server: string,
    config: ServerConfig,
    timeline: Timeline,
    landed?: (version: string) => void,
  ): ClientSide {
    const client = this.#config
    const { track, observe, invalidAnswer } = this.#hooks
    return {
      server,
      timeline,
      protocol: config.protocol ?? this.#hooks.protocol ?? DEFAULT_PROTOCOL,
      ...(landed && { landed }),
      ...(track && { track: track(server) }),
      ...(observe && { observe: (tap: WireTap) => observe(server, config, tap) }),
      ...(invalidAnswer && {
        invalidAnswer: (method: string, problem: InvalidAnswer) => invalidAnswer(server, method, problem),
      }),
      ...(client?.name !== undefined && { name: client.name }),
      ...(client?.version !== undefined && { version: client.version }),
      ...(client?.sampling && { sampling: client.sampling }),
      ...(client?.elicitation && { elicitation: client.elicitation }),
      ...(client?.maxRounds !== undefined && { maxRounds: client.maxRounds }),
      ...(this.#roots && { roots: () => this.#roots ?? [] }),
    }
  }
}
