// The host's own side of the protocol (`client` in its config): what each server's client answers.
import type { Root } from '@modelcontextprotocol/sdk/types.js'
import type { ClientSide, HandlerTracker } from '../launchers/client.js'
import type { Timeline } from '../launchers/timeline.js'
import type { ClientConfig } from './config-types.js'

/** How the host tracks one handler call of `server` (see `HandlerTracker`). */
export type HostHandlerTracker = (server: string) => HandlerTracker

export class HostClientSide {
  readonly #config: ClientConfig | undefined
  readonly #track: HostHandlerTracker | undefined
  #roots: readonly Root[] | undefined

  /** `config` is validated and frozen (validateHostConfig). */
  constructor(config: ClientConfig | undefined, track?: HostHandlerTracker) {
    this.#config = config
    this.#track = track
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
  forServer(server: string, timeline: Timeline): ClientSide {
    const config = this.#config
    return {
      server,
      timeline,
      ...(this.#track && { track: this.#track(server) }),
      ...(config?.name !== undefined && { name: config.name }),
      ...(config?.version !== undefined && { version: config.version }),
      ...(config?.sampling && { sampling: config.sampling }),
      ...(config?.elicitation && { elicitation: config.elicitation }),
      ...(this.#roots && { roots: () => this.#roots ?? [] }),
    }
  }
}
