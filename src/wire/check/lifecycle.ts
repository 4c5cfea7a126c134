/**
 * 2025-11-25's lifecycle order (basic/lifecycle "Initialization"): `initialize` first, nothing but
 * ping before its result, `notifications/initialized` before the client's other requests, and no
 * server request but ping before that notification. Each rule is flagged once per connection: the
 * first out-of-order message is the bug, the rest follow from it.
 */
import type { CheckContext } from './context.js'
import type { Sender } from './methods.js'
import type { RuleId } from './rules.js'

/** Sent before initialize by the SDK's era probe (2026-07-28's backward compatibility), or ping. */
const BEFORE_INITIALIZE = new Set(['ping', 'server/discover'])

export class Lifecycle {
  private initializeSent = false
  private initializeAnswered = false
  private initializedSent = false
  private readonly flagged = new Set<RuleId>()

  constructor(private readonly ctx: CheckContext) {}

  private get active(): boolean {
    return this.ctx.revision !== '2026-07-28'
  }

  private once(rule: RuleId, sender: Sender, method: string, message: string): void {
    if (this.flagged.has(rule)) return
    this.flagged.add(rule)
    this.ctx.flag(rule, sender, { method, message })
  }

  request(sender: Sender, method: string): void {
    if (!this.active) return
    if (sender === 'server') {
      if (method !== 'ping' && !this.initializedSent)
        this.once(
          'lifecycle.server-request-before-initialized',
          sender,
          method,
          'the server sent a request before the client sent notifications/initialized',
        )
      return
    }
    if (method === 'initialize') {
      this.initializeSent = true
      return
    }
    if (BEFORE_INITIALIZE.has(method)) return
    if (!this.initializeSent)
      this.once('lifecycle.initialize-first', sender, method, 'the client sent a request before initialize')
    else if (!this.initializeAnswered)
      this.once(
        'lifecycle.request-before-initialize-result',
        sender,
        method,
        'the client sent a request before the server answered initialize',
      )
    else if (!this.initializedSent)
      this.once(
        'lifecycle.initialized',
        sender,
        method,
        'the client sent a request after initialize succeeded but before notifications/initialized',
      )
  }

  notification(sender: Sender, method: string): void {
    if (sender === 'client' && method === 'notifications/initialized') this.initializedSent = true
  }

  /** A result (not an error) answered `method`, sent by `requester`. */
  result(requester: Sender, method: string): void {
    if (requester === 'client' && method === 'initialize') this.initializeAnswered = true
  }
}
