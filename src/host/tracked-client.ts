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
 * A view of `client` whose `request` (which every SDK method goes through, `this` being the view)
 * is tracked, and whose `close` goes through the owner. The host keeps using `client` itself, so
 * its own requests are not tracked twice.
 */
export function trackedClient(client: Client, { server, ledger, close }: Tracking): Client {
  const request: RequestFn = (req, schema, options) =>
    ledger.track(`${labelOf(req)} (via client("${server}"))`, options?.signal, (call) =>
      client.request(req, schema, { ...options, signal: call.signal }),
    ) as never
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'request') return request
      if (key === 'close') return close
      return Reflect.get(target, key, receiver)
    },
  })
}
