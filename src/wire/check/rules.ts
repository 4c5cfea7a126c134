/**
 * The wire check's rules: a stable id, the severity the spec's own word gives it (MUST → `error`,
 * SHOULD → `warn`), and the spec section per revision. A rule applies on the revisions it has a
 * section for. This table is the README's "Wire check" table (scripts read it; keep ids stable).
 */
export type ProtocolRevision = '2025-11-25' | '2026-07-28'
export type ViolationSeverity = 'error' | 'warn'

export interface Rule {
  readonly id: string
  readonly severity: ViolationSeverity
  /** What the spec asks, in one line (the README's table). */
  readonly summary: string
  /** Path under `https://modelcontextprotocol.io/specification/<revision>/`, per revision it applies to. */
  readonly spec: Partial<Record<ProtocolRevision, string>>
}

export const SPEC_BASE = 'https://modelcontextprotocol.io/specification'

const both = (legacy: string, modern = legacy) => ({ '2025-11-25': legacy, '2026-07-28': modern })

const table = [
  // JSON-RPC framing (basic/index "Messages")
  {
    id: 'jsonrpc.message',
    severity: 'error',
    summary: 'every message is a JSON-RPC 2.0 request, notification or response object',
    spec: both('basic#messages'),
  },
  {
    id: 'jsonrpc.version',
    severity: 'error',
    summary: '`jsonrpc` is exactly "2.0"',
    spec: both('basic#messages'),
  },
  {
    id: 'jsonrpc.id',
    severity: 'error',
    summary: 'a request id is a string or an integer, never null',
    spec: both('basic#requests'),
  },
  {
    id: 'jsonrpc.id-reused',
    severity: 'error',
    summary: 'a request id is not reused while that request is in flight',
    spec: both('basic#requests'),
  },
  {
    id: 'jsonrpc.result-or-error',
    severity: 'error',
    summary: 'a response has exactly one of `result` and `error`',
    spec: both('basic#responses'),
  },
  {
    id: 'jsonrpc.unknown-id',
    severity: 'error',
    summary: 'a response answers the id of a request the peer sent',
    spec: both('basic#responses'),
  },
  {
    id: 'jsonrpc.duplicate-response',
    severity: 'error',
    summary: 'a request is answered once',
    spec: both('basic#responses'),
  },
  {
    id: 'jsonrpc.error-object',
    severity: 'error',
    summary: 'an error has an integer `code` and a string `message`',
    spec: both('basic#error-responses'),
  },
  {
    id: 'jsonrpc.error-code',
    severity: 'error',
    summary: 'no error code from the JSON-RPC reserved range that JSON-RPC or MCP does not define',
    spec: both('basic#error-responses', 'basic#error-codes'),
  },
  {
    id: 'jsonrpc.error-code-legacy',
    severity: 'warn',
    summary: 'new implementations do not use codes -32000 to -32019',
    spec: { '2026-07-28': 'basic#error-codes' },
  },
  // The revision's schema, per method
  {
    id: 'schema.method',
    severity: 'error',
    summary:
      'the method is one the revision defines for that sender (no legacy methods on 2026-07-28, no client methods from a server)',
    spec: both('schema'),
  },
  {
    id: 'schema.request',
    severity: 'error',
    summary: "a request's params match the revision's schema for its method",
    spec: both('schema'),
  },
  {
    id: 'schema.result',
    severity: 'error',
    summary: "a result matches the revision's schema for the request's method",
    spec: both('schema'),
  },
  {
    id: 'schema.notification',
    severity: 'error',
    summary: "a notification's params match the revision's schema for its method",
    spec: both('schema'),
  },
  // Lifecycle
  {
    id: 'lifecycle.initialize-first',
    severity: 'error',
    summary: 'initialization is the first interaction: no request but ping before `initialize`',
    spec: { '2025-11-25': 'basic/lifecycle#initialization' },
  },
  {
    id: 'lifecycle.request-before-initialize-result',
    severity: 'warn',
    summary: 'the client sends no request but ping before the server answered `initialize`',
    spec: { '2025-11-25': 'basic/lifecycle#initialization' },
  },
  {
    id: 'lifecycle.initialized',
    severity: 'error',
    summary: 'the client sends `notifications/initialized` after initialize succeeded, before other requests',
    spec: { '2025-11-25': 'basic/lifecycle#initialization' },
  },
  {
    id: 'lifecycle.server-request-before-initialized',
    severity: 'warn',
    summary: 'the server sends no request but ping before it received `notifications/initialized`',
    spec: { '2025-11-25': 'basic/lifecycle#initialization' },
  },
  // 2026-07-28: stateless requests, result types, input_required rounds
  {
    id: 'modern.request-meta',
    severity: 'error',
    summary:
      'every request carries `_meta` with `io.modelcontextprotocol/protocolVersion` and `io.modelcontextprotocol/clientCapabilities`',
    spec: { '2026-07-28': 'schema#requestmetaobject' },
  },
  {
    id: 'modern.result-type',
    severity: 'error',
    summary:
      "every result has a `resultType` the client knows (`complete`, `input_required`, or an advertised extension's)",
    spec: { '2026-07-28': 'basic#resulttype' },
  },
  {
    id: 'modern.server-request',
    severity: 'error',
    summary: 'the server sends no JSON-RPC requests (input is asked for with `input_required` results)',
    spec: { '2026-07-28': 'basic/transports/stdio#receiving-messages' },
  },
  {
    id: 'modern.input-required',
    severity: 'error',
    summary:
      '`input_required` only on tools/call, prompts/get, resources/read, with `inputRequests` or `requestState`, each input request an elicitation, sampling or roots request',
    spec: { '2026-07-28': 'basic/patterns/mrtr#supported-requests' },
  },
  {
    id: 'modern.input-responses',
    severity: 'error',
    summary: "the client's `inputResponses` answer the server's input requests with valid results",
    spec: { '2026-07-28': 'basic/patterns/mrtr#client-requirements-basic-workflow' },
  },
  {
    id: 'modern.subscription-id',
    severity: 'error',
    summary:
      'a notification delivered on a `subscriptions/listen` stream carries `io.modelcontextprotocol/subscriptionId`',
    spec: { '2026-07-28': 'schema#notificationmetaobject' },
  },
  // Tools
  {
    id: 'tool.output-schema',
    severity: 'error',
    summary:
      'a tool with an `outputSchema` returns `structuredContent` that conforms to it (not checked on `isError: true` results)',
    spec: both('server/tools#output-schema'),
  },
  {
    id: 'tool.structured-content-type',
    severity: 'error',
    summary: '`structuredContent` is a JSON object (2026-07-28: any JSON value)',
    spec: { '2025-11-25': 'schema#calltoolresult' },
  },
  {
    id: 'tool.structured-content-text',
    severity: 'warn',
    summary: 'a tool returning `structuredContent` also returns it serialized in a text block',
    spec: both('server/tools#structured-content'),
  },
  // Transport
  {
    id: 'stdio.non-json-line',
    severity: 'error',
    summary: 'the server writes nothing to stdout that is not a valid MCP message',
    spec: both('basic/transports#stdio', 'basic/transports/stdio'),
  },
] as const satisfies readonly Rule[]

export type RuleId = (typeof table)[number]['id']

/** Every rule, in the README's order. */
export const RULES: readonly Rule[] = table
const byId = new Map<string, Rule>(table.map((rule) => [rule.id, rule]))

export function ruleOf(id: RuleId): Rule {
  return byId.get(id) as Rule
}

export function isRuleId(id: string): id is RuleId {
  return byId.has(id)
}

/** The rule's section for `revision`, or for the only revision it applies to. */
export function specLink(rule: Rule, revision: ProtocolRevision | undefined): string {
  const at = (revision && rule.spec[revision]) ?? rule.spec['2025-11-25'] ?? rule.spec['2026-07-28']
  const rev =
    revision && rule.spec[revision] ? revision : rule.spec['2025-11-25'] ? '2025-11-25' : '2026-07-28'
  return `${SPEC_BASE}/${rev}/${at}`
}

/** The rule table as Markdown rows (the README's "Wire check" section is generated from this). */
export function ruleTableMarkdown(): string {
  const rows = RULES.map((rule) => {
    const links = (Object.entries(rule.spec) as Array<[ProtocolRevision, string]>)
      .map(([rev, path]) => `[${rev}](${SPEC_BASE}/${rev}/${path})`)
      .join(', ')
    return `| \`${rule.id}\` | ${rule.severity} | ${rule.summary} | ${links} |`
  })
  return ['| rule | severity | what the spec asks | spec |', '|---|---|---|---|', ...rows].join('\n')
}
