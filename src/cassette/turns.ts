/**
 * A recording cut into turns: each request the host sent, with what the server did before
 * answering it (notifications, its own requests and the host's recorded answers), the answer, and
 * what the server sent after it before the host's next request. The server's messages go to the
 * most recent request still open when they were recorded (a `subscriptions/listen` stream only when
 * nothing else was open: it stays open for the whole connection).
 */
import { type Json, keyOf } from './canonical.js'
import type { Cassette } from './format.js'

type Message = { [key: string]: Json }

/** One thing the replay does before or after an answer. */
export type Step =
  | { readonly kind: 'send'; readonly message: Message }
  /** A server→client request: sent, the host's answer awaited and compared with `answer`. */
  | { readonly kind: 'ask'; readonly message: Message; answer?: Message }

export interface Turn {
  readonly index: number
  readonly method: string
  readonly params: Json
  /** method + canonical params: what a live request is matched by. */
  readonly key: string
  readonly progressToken: Json | undefined
  readonly before: Step[]
  response?: Message
  readonly after: Step[]
}

export interface Script {
  /** Server messages recorded before the host's first request. */
  readonly opening: Step[]
  readonly turns: readonly Turn[]
}

const isRequest = (m: Message) => typeof m.method === 'string' && m.id !== undefined
const isResponse = (m: Message) => m.method === undefined && m.id !== undefined

export function progressTokenOf(params: Json | undefined): Json | undefined {
  const meta =
    params !== null && typeof params === 'object' && !Array.isArray(params) ? params._meta : undefined
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta.progressToken : undefined
}

export function scriptOf(cassette: Cassette): Script {
  const opening: Step[] = []
  const turns: Turn[] = []
  const open = new Map<string, Turn>()
  const asked = new Map<string, Step & { kind: 'ask' }>()
  const id = (m: Message) => JSON.stringify(m.id)
  const current = (): Turn | undefined => {
    const live = [...open.values()]
    return live.findLast((t) => t.method !== 'subscriptions/listen') ?? live.at(-1)
  }
  for (const { dir, message } of cassette.messages) {
    if (dir === 'out') {
      if (isRequest(message)) {
        const method = message.method as string
        const turn: Turn = {
          index: turns.length,
          method,
          params: message.params ?? null,
          key: keyOf(method, message.params),
          progressToken: progressTokenOf(message.params),
          before: [],
          after: [],
        }
        turns.push(turn)
        open.set(id(message), turn)
      } else if (isResponse(message)) {
        const step = asked.get(id(message))
        if (step) step.answer = message
        asked.delete(id(message))
      }
      continue
    }
    if (isResponse(message)) {
      const turn = open.get(id(message))
      if (turn) turn.response = message
      open.delete(id(message))
      continue
    }
    const step: Step = isRequest(message) ? { kind: 'ask', message } : { kind: 'send', message }
    if (step.kind === 'ask') asked.set(id(message), step)
    const turn = current()
    if (turn) turn.before.push(step)
    else (turns.at(-1)?.after ?? opening).push(step)
  }
  return { opening, turns }
}
