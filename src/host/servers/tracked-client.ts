// The SDK client a user gets from `host.client(name)`: its requests are tracked like the host's own,
// and closing it is a disposal through the host's owner scope.
import type { Client, McpSubscription } from '@modelcontextprotocol/client'
import { onAbort } from '../../launchers/util/abort-listeners.js'
import { captureCallSite } from '../../scope/index.js'
import type { RequestLedger } from '../requests/requests.js'

interface Tracking {
  readonly server: string
  readonly ledger: RequestLedger
  /** Stops the server from the owner context (a cross-context disposal from anywhere else). */
  readonly close: () => Promise<void>
}

/**
 * The SDK v2 Client's methods that send a request: the MCP method each sends, and where its
 * options (`signal`, `timeout`) are among its arguments. `request` itself is handled apart.
 */
const SENDING: Record<string, { method: string; options: number }> = {
  callTool: { method: 'tools/call', options: 1 },
  listTools: { method: 'tools/list', options: 1 },
  getPrompt: { method: 'prompts/get', options: 1 },
  listPrompts: { method: 'prompts/list', options: 1 },
  listResources: { method: 'resources/list', options: 1 },
  listResourceTemplates: { method: 'resources/templates/list', options: 1 },
  readResource: { method: 'resources/read', options: 1 },
  subscribeResource: { method: 'resources/subscribe', options: 1 },
  unsubscribeResource: { method: 'resources/unsubscribe', options: 1 },
  complete: { method: 'completion/complete', options: 1 },
  setLoggingLevel: { method: 'logging/setLevel', options: 1 },
  listen: { method: 'subscriptions/listen', options: 1 },
  ping: { method: 'ping', options: 0 },
  discover: { method: 'server/discover', options: 0 },
}

/** A Standard Schema (zod's included): what the SDK's `request()` may take as its second argument. */
function isSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '~standard' in value
}

/** `tools/call weather_lookup`, `resources/read demo://x`, `ping`. */
function labelOf(method: string, params: unknown): string {
  const p = params as { name?: unknown; uri?: unknown } | undefined
  const subject = p?.name ?? p?.uri
  return typeof subject === 'string' ? `${method} ${subject}` : method
}

/**
 * A view of `client` whose requests are tracked and whose `close` goes through the owner. Each
 * sending method is tracked as one request, its signal the tracked call's; it runs on `client`
 * itself, so what it sends inside (a listing's pages, a call's retry) is not tracked twice. The
 * promise the user holds is the tracked one: abandoning the request (the test ended) also handles
 * the rejection the user never awaits. The host keeps using `client` itself.
 */
export function trackedClient(client: Client, { server, ledger, close }: Tracking): Client {
  const track = (label: string, args: unknown[], at: number, fn: (...args: unknown[]) => unknown) => {
    const options = args[at] as { signal?: AbortSignal } | undefined
    return ledger.track({ label: `${label} (via client("${server}"))`, signal: options?.signal }, (call) => {
      call.target(server)
      const withSignal = [...args]
      while (withSignal.length < at) withSignal.push(undefined)
      withSignal[at] = { ...options, signal: call.signal }
      return Reflect.apply(fn, client, withSignal) as Promise<unknown>
    })
  }
  // By the function itself: a handler property (onerror, onclose) may be set to another one.
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>()
  const wrap = (key: PropertyKey, fn: (...args: unknown[]) => unknown) => {
    const sending = typeof key === 'string' ? SENDING[key] : undefined
    if (key === 'request') {
      return (...args: unknown[]) => {
        const req = args[0] as { method: string; params?: unknown }
        return track(labelOf(req.method, req.params), args, isSchema(args[1]) ? 2 : 1, fn)
      }
    }
    if (key === 'listen') {
      // The test's own subscriptions/listen stream: tracked while it is open, so one its test leaves
      // open is that test's leak (and is closed then); the host's own streams are not (listens.ts).
      return async (...args: unknown[]) => {
        const site = captureCallSite()
        const subscription = (await track('subscriptions/listen', args, 1, fn)) as McpSubscription
        const label = `subscriptions/listen stream, open (via client("${server}"))`
        const open = ledger.track({ label, kind: 'request', origin: site }, (call) => {
          call.target(server)
          onAbort(call.signal, () => void subscription.close())
          return subscription.closed
        })
        open.catch(() => {})
        return subscription
      }
    }
    if (sending) {
      return (...args: unknown[]) => track(labelOf(sending.method, args[0]), args, sending.options, fn)
    }
    return (...args: unknown[]) => Reflect.apply(fn, client, args)
  }
  const view: Client = new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'close') return close
      const value = Reflect.get(target, key, receiver)
      if (typeof value !== 'function' || key === 'constructor') return value
      let wrapped = methods.get(key)
      if (!wrapped || (wrapped as { of?: unknown }).of !== value) {
        wrapped = Object.assign(wrap(key, value as (...args: unknown[]) => unknown), { of: value })
        methods.set(key, wrapped)
      }
      return wrapped
    },
  })
  return view
}
