// The SDK client a user gets from `host.client(name)`: its requests are tracked like the host's own,
// and closing it is a disposal through the host's owner scope.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { RequestLedger } from './requests.js'

type RequestFn = Client['request']

interface Tracking {
  readonly server: string
  readonly ledger: RequestLedger
  /** Stops the server from the owner context (a cross-context disposal from anywhere else). */
  readonly close: () => Promise<void>
}

/** `tools/call weather_lookup`, `resources/read demo://x`, `ping`. */
function labelOf(request: { method: string; params?: Record<string, unknown> }): string {
  const subject = request.params?.name ?? request.params?.uri
  return typeof subject === 'string' ? `${request.method} ${subject}` : request.method
}

/**
 * A view of `client` whose requests are tracked and whose `close` goes through the owner. Every
 * SDK method sends through `this.request` synchronously, `this` being the view, so tracking
 * `request` sees them all. The promise the user holds is the SDK method's, not `request`'s: it is
 * handed to the ledger too, so abandoning the request (the test ended) also handles the rejection
 * the user never awaits. The host keeps using `client` itself: its own requests are not tracked twice.
 */
export function trackedClient(client: Client, { server, ledger, close }: Tracking): Client {
  // The requests sent during the synchronous part of the SDK method being called, innermost call last.
  let sending: Promise<unknown>[] | undefined
  const request: RequestFn = (req, schema, options) => {
    const sent = ledger.track(`${labelOf(req)} (via client("${server}"))`, options?.signal, (call) => {
      call.target(server)
      return client.request(req, schema, { ...options, signal: call.signal })
    })
    sending?.push(sent)
    return sent as never
  }
  // By the function itself: a handler property (onerror, onclose) may be set to another one.
  const methods = new WeakMap<(...args: unknown[]) => unknown, (...args: unknown[]) => unknown>()
  const method = (fn: (...args: unknown[]) => unknown) => {
    let wrapped = methods.get(fn)
    if (!wrapped) {
      wrapped = (...args) => {
        const outer = sending
        const sent: Promise<unknown>[] = []
        sending = sent
        let result: unknown
        try {
          result = Reflect.apply(fn, view, args)
        } finally {
          sending = outer
          outer?.push(...sent)
        }
        if (result instanceof Promise) for (const inner of sent) ledger.alsoSettles(inner, result)
        return result
      }
      methods.set(fn, wrapped)
    }
    return wrapped
  }
  const view: Client = new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'request') return request
      if (key === 'close') return close
      const value = Reflect.get(target, key, receiver)
      return typeof value === 'function' && key !== 'constructor' ? method(value) : value
    },
  })
  return view
}
