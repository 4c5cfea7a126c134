/**
 * The in-process replay server: a `Transport` the host's client connects to instead of a server's
 * own, answering from a cassette. No process, no socket: each request the host sends is matched to
 * a recorded one (method + canonical params, the next in order first, else the first unused match)
 * and its turn is played — notifications, server→client requests (the host's handlers answer; an
 * answer unlike the recorded one is a CassetteMismatchError), the recorded result under the live id.
 * A request that matches nothing rejects with CassetteMismatchError, through the send that carried
 * it: the SDK rejects that request with the error itself.
 */
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client'
import { canonical, canonicalParams, differences, type Json, keyOf } from './canonical.js'
import { CassetteMismatchError } from './errors.js'
import type { Cassette } from './format.js'
import { type RedactRule, redactor } from './redact.js'
import { progressTokenOf, type Script, type Step, scriptOf, type Turn } from './turns.js'

type Message = { [key: string]: Json }

export interface ReplayOptions {
  readonly server: string
  /** The cassette's path, for messages. */
  readonly file: string
  /** The server's `redact`: applied to live requests too, so redacted ones still match. */
  readonly redact?: readonly RedactRule[]
}

export class ReplayTransport implements Transport {
  readonly #options: ReplayOptions
  readonly #script: Script
  readonly #used: boolean[]
  readonly #redact: (value: unknown) => Json
  readonly #answers = new Map<string, (answer: Message) => void>()
  readonly #mismatches: CassetteMismatchError[] = []
  /** Where "in order" looks first: after the last turn played. */
  #next = 0
  #closed = false

  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: <T extends JSONRPCMessage>(message: T) => void

  constructor(cassette: Cassette, options: ReplayOptions) {
    this.#options = options
    this.#script = scriptOf(cassette)
    this.#used = this.#script.turns.map(() => false)
    this.#redact = redactor(options.redact ?? [])
  }

  /** Every mismatch so far (also the ones whose rejection a test caught): the host fails the test with them. */
  mismatches(): readonly CassetteMismatchError[] {
    return [...this.#mismatches]
  }

  /** Recorded requests no live request used (information: the test now does less than it recorded). */
  unused(): ReadonlyArray<{ method: string; params: Json }> {
    return this.#script.turns
      .filter((t) => !this.#used[t.index])
      .map((t) => ({ method: t.method, params: t.params }))
  }

  /**
   * Whether the recording listed tools before its first tool call: a recording host lists a sole
   * server's tools before its first call (ServerSet.target), so a replay does exactly when this says.
   */
  listsToolsFirst(): boolean {
    const first = (method: string) => this.#script.turns.findIndex((t) => t.method === method)
    const listed = first('tools/list')
    const called = first('tools/call')
    return listed !== -1 && (called === -1 || listed < called)
  }

  async start(): Promise<void> {
    for (const step of this.#script.opening) await this.#play(step, undefined)
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error(`replayed server "${this.#options.server}" is closed`)
    const m = message as unknown as Message
    if (typeof m.method === 'string' && m.id !== undefined) return this.#request(m)
    if (m.method === undefined && m.id !== undefined) this.#answers.get(JSON.stringify(m.id))?.(m)
    // The host's notifications (initialized, cancelled, roots changed) need no answer.
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#answers.clear()
    this.onclose?.()
  }

  setProtocolVersion(): void {}

  async #request(live: Message): Promise<void> {
    const method = live.method as string
    const redacted = this.#redact(live) as Message
    const turn = this.#match(method, redacted.params)
    if (!turn) throw this.#fail(this.#unmatched(method, redacted.params))
    this.#used[turn.index] = true
    this.#next = turn.index + 1
    const liveToken = progressTokenOf(live.params)
    for (const step of turn.before) {
      const failure = await this.#play(step, { turn, liveToken })
      if (failure) throw this.#fail(failure)
    }
    if (turn.response) await this.#deliver({ ...turn.response, id: live.id as Json })
    for (const step of turn.after) await this.#play(step, undefined)
  }

  #match(method: string, params: Json | undefined): Turn | undefined {
    const key = keyOf(method, params)
    const turns = this.#script.turns
    const fits = (t: Turn) => !this.#used[t.index] && t.key === key
    return turns.slice(this.#next).find(fits) ?? turns.find(fits)
  }

  #unmatched(method: string, params: Json | undefined): CassetteMismatchError {
    const sent = canonicalParams(method, params)
    const same = this.#script.turns.filter((t) => t.method === method)
    const ranked = same
      .map((t) => ({ t, diff: differences(sent, canonicalParams(method, t.params), 50) }))
      .sort(
        (a, b) =>
          a.diff.length - b.diff.length || Number(this.#used[a.t.index]) - Number(this.#used[b.t.index]),
      )
    const best = ranked[0]
    const request = { method, params: sent }
    if (!best) return this.#error({ request, difference: '' })
    const used = this.#used[best.t.index]
      ? ' (already used by an earlier request: the test sends it more often than recorded)'
      : ''
    return this.#error({
      request,
      nearest: { method, params: canonicalParams(method, best.t.params) },
      difference: `${best.diff.slice(0, 5).join('; ') || 'nothing'}${used}`,
    })
  }

  #error(details: { request: unknown; nearest?: unknown; difference: string; answerTo?: string }) {
    return new CassetteMismatchError({ server: this.#options.server, file: this.#options.file, ...details })
  }

  #fail(error: CassetteMismatchError): CassetteMismatchError {
    this.#mismatches.push(error)
    return error
  }

  /** Plays one step; for a server→client request, the mismatch if the host answered otherwise. */
  async #play(step: Step, within: { turn: Turn; liveToken: Json | undefined } | undefined) {
    if (step.kind === 'send') {
      const message = within
        ? withToken(step.message, within.turn.progressToken, within.liveToken)
        : step.message
      await this.#deliver(message)
      return undefined
    }
    const id = JSON.stringify(step.message.id)
    const answered = new Promise<Message>((resolve) => this.#answers.set(id, resolve))
    await this.#deliver(step.message)
    const answer = await answered
    this.#answers.delete(id)
    const recorded = step.answer
    if (!recorded) return undefined
    const got = answerOf(answer)
    const want = answerOf(recorded)
    const diff = differences(got, want)
    if (diff.length === 0) return undefined
    return this.#error({
      request: got,
      nearest: want,
      difference: diff.join('; '),
      answerTo: String(step.message.method),
    })
  }

  async #deliver(message: Message): Promise<void> {
    // A microtask apart: never inside the host's own send (the SDK expects a transport's messages later).
    await null
    if (!this.#closed) this.onmessage?.(message as unknown as JSONRPCMessage)
  }
}

const answerOf = (m: Message): Json =>
  canonical(m.error === undefined ? { result: m.result } : { error: m.error })

/** A recorded progress notification under the live request's progress token. */
function withToken(message: Message, recorded: Json | undefined, live: Json | undefined): Message {
  const params = message.params
  if (
    live === undefined ||
    recorded === undefined ||
    params === null ||
    typeof params !== 'object' ||
    Array.isArray(params)
  )
    return message
  if (JSON.stringify(params.progressToken) !== JSON.stringify(recorded)) return message
  return { ...message, params: { ...params, progressToken: live } }
}

/** A replay of `cassette` as a server's transport. */
export function replayCassette(cassette: Cassette, options: ReplayOptions): ReplayTransport {
  return new ReplayTransport(cassette, options)
}
