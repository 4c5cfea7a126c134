// 2026-07-28's input_required rounds in a server's timeline: one `round N <kinds>` event per
// input_required result, read off the wire tap. The SDK client retries on a fresh request id, so
// the round number is carried from a result to the retry that answers it (same method, the echoed
// requestState, responses keyed like the requests); the HTML report draws `round…` events as marks.
import type { WireTap } from '../../wire/tap.js'
import type { PendingRequest, WireEvent } from '../../wire/tap-types.js'
import type { Timeline } from '../timeline.js'

/** A round the host is answering: what the retry that follows it must look like. */
interface OpenRound {
  readonly method: string
  readonly round: number
  readonly requestState: string | undefined
  readonly keys: readonly string[]
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
  /** Round number of a retry in flight, by its request id. */
  const retries = new Map<unknown, number>()
  let open: OpenRound[] = []

  /** The round a retry answers (removed from the open ones), matched as the SDK builds it. */
  const answered = (method: string, params: Record<string, unknown>): number | undefined => {
    const state = typeof params.requestState === 'string' ? params.requestState : undefined
    const keys = isObject(params.inputResponses) ? Object.keys(params.inputResponses) : []
    const at = open.findIndex(
      (r) => r.method === method && r.requestState === state && keys.every((k) => r.keys.includes(k)),
    )
    if (at < 0) return undefined
    const [round] = open.splice(at, 1)
    return round?.round
  }

  tap.listen({
    outbound(e: WireEvent) {
      const m = e.message as { id?: unknown; method?: unknown; params?: unknown }
      if (typeof m.method !== 'string' || m.id === undefined || !isObject(m.params)) return
      if (!('inputResponses' in m.params) && !('requestState' in m.params)) return
      const round = answered(m.method, m.params)
      if (round !== undefined) retries.set(m.id, round)
    },
    inbound(e: WireEvent) {
      if (!e.request) return undefined
      const before = retries.get(e.request.id) ?? 0
      retries.delete(e.request.id)
      const result = (e.message as { result?: unknown }).result
      if (!isObject(result) || result.resultType !== 'input_required') return undefined
      const round = before + 1
      const requests = isObject(result.inputRequests) ? Object.entries(result.inputRequests) : []
      const kinds = [...new Set(requests.map(([, entry]) => kindOf(entry)))]
      const state = typeof result.requestState === 'string' ? result.requestState : undefined
      const ids = requests.map(([key, entry]) => `${key}=${kindOf(entry)}`)
      if (state !== undefined) ids.push('requestState')
      const over = round > maxRounds ? `; not answered (client.maxRounds is ${maxRounds})` : ''
      const detail = `${subject(e.request)}: ${ids.join(', ')}${over}`
      timeline.record(`round ${round} ${kinds.join(', ') || 'requestState'}`, detail)
      open.push({ method: e.request.method, round, requestState: state, keys: requests.map(([key]) => key) })
      if (open.length > MAX_OPEN) open = open.slice(-MAX_OPEN)
      return undefined
    },
    close() {
      retries.clear()
      open = []
    },
  })
}
