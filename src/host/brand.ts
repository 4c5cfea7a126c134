// Tells a HostManager from anything else without loading it (and the SDK and zod behind it): the
// matchers run in every test file, most of which never start a host.

/** Set on every HostManager. `Symbol.for`: the built package and its sources agree on it. */
export const HOST_BRAND: unique symbol = Symbol.for('vitest-mcp-host.HostManager') as never

/** A HostManager's tools/call record (see sent-calls.ts): a symbol, so not part of its public API. */
export const SENT_TOOL_CALLS: unique symbol = Symbol.for('vitest-mcp-host.sentToolCalls') as never

/** The part of a HostManager the matchers use. */
export interface BrandedHost {
  readonly [HOST_BRAND]: true
  listTools(): Promise<Array<{ name: string }>>
  listPrompts(): Promise<Array<{ name: string }>>
  listResources(): Promise<Array<{ uri: string }>>
  listResourceTemplates(): Promise<Array<{ uriTemplate: string }>>
  [SENT_TOOL_CALLS](): Array<{ server: string; name: string; arguments: unknown }>
}

export function isHostManager(value: unknown): value is BrandedHost {
  return typeof value === 'object' && value !== null && (value as Partial<BrandedHost>)[HOST_BRAND] === true
}
