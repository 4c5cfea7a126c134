// 2026-07-28's input_required rounds in a server's timeline: one `round N <kinds>` event per
// input_required result, read off the wire tap. The SDK client retries on a fresh request id, so
// the round number is carried from a result to the retry that answers it. A retry is paired with
// the round of its flow: the tap hands a response to the client in a context naming the request it
// answers (`answeredRequest()`), and the SDK sends the retries from there, so two identical calls
// in flight at once keep their own counts. Without that context (a client of another kind), by
// content: same method, the echoed requestState, responses keyed like the requests. The HTML report
// draws `round…` events as marks.
import { answeredRequest, type WireTap } from '../../wire/tap.js'
import type { PendingRequest, WireEvent } from '../../wire/tap-types.js'
import type { Timeline } from '../timeline.js'

/** The first request of a multi-round call: each of its retries goes back to it. */
type Flow = PendingRequest

/** A round the host is answering: its call, and what the retry that follows it must look like. */
interface OpenRound {
  readonly flow: Flow
  readonly method: string
  readonly round: number
  readonly requestState: string | undefined
  readonly keys: readonly string[]
}

/** A retry in flight: the round it answers, and its call. */
interface Retry {
  readonly round: number
  readonly flow: Flow
}

/** Rounds awaiting their retry, kept at most (a handler that failed leaves one that never closes). */
const MAX_OPEN = 100

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** `tools/call ask`, `prompts/get p`, `resources/read uri`: what the round is for. */
function subject(request: PendingRequest): string {
  const params = isObject(request.params) ? request.params : {}
  const what = params.name ?? params.uri
  return typeof what === 'string' ? `${request.method} ${what}` : request.method
}

/** `elicitation/create`, `elicitation/create (url)`, `sampling/createMessage`, `roots/list`. */
function kindOf(entry: unknown): string {
  if (!isObject(entry) || typeof entry.method !== 'string') return 'unknown'
  const mode = isObject(entry.params) ? entry.params.mode : undefined
  return mode === 'url' ? `${entry.method} (url)` : entry.method
}

/**
 * Records each input_required round `tap` sees in `timeline`; one past `maxRounds` (the SDK gives
 * the request up instead of answering it) says so in its detail.
 */
export function recordRounds(tap: WireTap, timeline: Timeline, maxRounds: number): void {
  /** Retries in flight, by request id. */
  const retries = new Map<unknown, Retry>()
  /** The call a request answered with input_required belongs to, for a retry sent from its handling. */
  const flows = new WeakMap<PendingRequest, Flow>()
  let open: OpenRound[] = []

  /** The round a retry answers (removed from the open ones): its call's, else one that looks the part. */
  const answered = (method: string, params: Record<string, unknown>): OpenRound | undefined => {
    const from = answeredRequest()
    const flow = from && (flows.get(from) ?? from)
    let at = flow ? open.findIndex((r) => r.flow === flow && r.method === method) : -1
    if (at < 0) {
      const state = typeof params.requestState === 'string' ? params.requestState : undefined
      const keys = isObject(params.inputResponses) ? Object.keys(params.inputResponses) : []
      at = open.findIndex(
        (r) => r.method === method && r.requestState === state && keys.every((k) => r.keys.includes(k)),
      )
    }
    if (at < 0) return undefined
    return open.splice(at, 1)[0]
  }

  tap.listen({
    outbound(e: WireEvent) {
      const m = e.message as { id?: unknown; method?: unknown; params?: unknown }
      if (typeof m.method !== 'string' || m.id === undefined || !isObject(m.params)) return
      if (!('inputResponses' in m.params) && !('requestState' in m.params)) return
      const round = answered(m.method, m.params)
      if (round !== undefined) retries.set(m.id, { round: round.round, flow: round.flow })
    },
    inbound(e: WireEvent) {
      if (!e.request) return undefined
      const retry = retries.get(e.request.id)
      retries.delete(e.request.id)
      const result = (e.message as { result?: unknown }).result
      if (!isObject(result) || result.resultType !== 'input_required') return undefined
      const round = (retry?.round ?? 0) + 1
      const flow = retry?.flow ?? e.request
      flows.set(e.request, flow)
      const requests = isObject(result.inputRequests) ? Object.entries(result.inputRequests) : []
      const kinds = [...new Set(requests.map(([, entry]) => kindOf(entry)))]
      const state = typeof result.requestState === 'string' ? result.requestState : undefined
      const ids = requests.map(([key, entry]) => `${key}=${kindOf(entry)}`)
      if (state !== undefined) ids.push('requestState')
      const over = round > maxRounds ? `; not answered (client.maxRounds is ${maxRounds})` : ''
      const detail = `${subject(e.request)}: ${ids.join(', ')}${over}`
      timeline.record(`round ${round} ${kinds.join(', ') || 'requestState'}`, detail)
      open.push({
        flow,
        method: e.request.method,
        round,
        requestState: state,
        keys: requests.map(([key]) => key),
      })
      if (open.length > MAX_OPEN) open = open.slice(-MAX_OPEN)
      return undefined
    },
    close() {
      retries.clear()
      open = []
    },
  })
}
