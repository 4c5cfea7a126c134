// The host's own side of the protocol (`client` in its config): what each server's client answers.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { Root } from '@modelcontextprotocol/sdk/types.js'
import type { ClientSide, HandlerTracker } from '../launchers/client.js'
import type { Timeline } from '../launchers/timeline.js'
import type { ClientConfig, ServerConfig } from './config-types.js'

/** How the host takes part in each server's client; both optional. */
export interface ClientSideHooks {
  /** How the host tracks one handler call of `server` (see `HandlerTracker`). */
  readonly track?: (server: string) => HandlerTracker
  /** Sees every transport of `server` (run as `config`) before any message arrives on it. */
  readonly observe?: (server: string, config: ServerConfig, transport: Transport) => void
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

  /** The client side of one server: its handlers see `server`, their failures go to `timeline`. */
  forServer(server: string, config: ServerConfig, timeline: Timeline): ClientSide {
    const client = this.#config
    const { track, observe } = this.#hooks
    return {
      server,
      timeline,
      ...(track && { track: track(server) }),
      ...(observe && { observe: (transport: Transport) => observe(server, config, transport) }),
      ...(client?.name !== undefined && { name: client.name }),
      ...(client?.version !== undefined && { version: client.version }),
      ...(client?.sampling && { sampling: client.sampling }),
      ...(client?.elicitation && { elicitation: client.elicitation }),
      ...(this.#roots && { roots: () => this.#roots ?? [] }),
    }
  }
}
