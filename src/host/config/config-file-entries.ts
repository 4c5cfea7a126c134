// Translates the server entries of the config files users already have (Claude Code's .mcp.json,
// Claude Desktop's and Cursor's { "mcpServers" }, VS Code's { "servers" }) into our server configs,
// with ${env:NAME} and ${NAME} substituted. Problems are issues at key paths inside the file;
// config-file.ts turns them into a ConfigError with positions.
import type { Node } from 'jsonc-parser'

/** A key path inside the file: `['mcpServers', 'weather', 'args', 0]`. */
export type KeyPath = ReadonlyArray<string | number>

/** A problem at `keys`; `at: 'key'` points at the key itself (an unknown key), else at its value. */
export interface FileIssue {
  readonly keys: KeyPath
  readonly message: string
  readonly at?: 'key' | 'value'
  /** Where to point instead, when the key path would find another node (a key written twice). */
  readonly node?: Node
}

export interface EntryContext {
  readonly env: Readonly<Record<string, string | undefined>>
  /** The working directory of a server whose entry names none. */
  readonly cwd: string
  readonly issues: FileIssue[]
}

/** Keys that mean something, by the transport they belong to. */
const STDIO_KEYS = ['command', 'args', 'env', 'cwd']
const HTTP_KEYS = ['url', 'headers']
/**
 * Keys of chat clients' UIs (a description, tools approved without asking, VS Code's dev mode):
 * they change what a client shows or asks, not how the server runs, so a test has no use for them.
 */
export const IGNORED_KEYS = ['description', 'autoApprove', 'alwaysAllow', 'dev']

const TYPES = 'expected "stdio", "http" or "streamable-http"'
const SSE =
  '"sse" (HTTP with Server-Sent Events, deprecated by MCP) is not supported: point "url" at the ' +
  'server\'s Streamable HTTP endpoint and write "type": "http"'

/** The properties of an object node, in file order; a key written twice is an issue at its second place. */
export function propertiesOf(node: Node, keys: KeyPath, issues: FileIssue[]): Map<string, Node> {
  const found = new Map<string, Node>()
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? []
    if (!keyNode || !valueNode) continue
    const key = String(keyNode.value)
    if (found.has(key)) {
      issues.push({ keys: [...keys, key], message: `duplicate key "${key}"`, node: keyNode })
      continue
    }
    found.set(key, valueNode)
  }
  return found
}

/** A JSON value as plain data; objects have no prototype, so a key named `__proto__` stays a key. */
function valueOf(node: Node): unknown {
  if (node.type === 'array') return (node.children ?? []).map(valueOf)
  if (node.type !== 'object') return node.value
  const object: Record<string, unknown> = Object.create(null)
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? []
    if (keyNode && valueNode) object[String(keyNode.value)] = valueOf(valueNode)
  }
  return object
}

const VARIABLE = /\$\{([^}]*)\}/g
/** VS Code's predefined variables (its "Variables reference"): not the environment's. */
const VSCODE_PREDEFINED = new Set([
  'workspaceFolder',
  'workspaceFolderBasename',
  'workspaceRoot',
  'userHome',
  'cwd',
  'pathSeparator',
  'file',
  'fileDirname',
  'relativeFile',
  'execPath',
])

const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s

/** `text` with its variables replaced, or why one cannot be. */
export function substitute(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): { value: string; problem?: never } | { problem: string } {
  let problem: string | undefined
  const value = text.replace(VARIABLE, (whole, inner: string) => {
    if (problem !== undefined) return whole
    if (inner.startsWith('input:')) {
      problem =
        `${whole} asks VS Code's user for a value, which a test cannot answer: write \${env:NAME} ` +
        "instead and set NAME in the environment, or pass it in loadHostConfig()'s env option"
      return whole
    }
    const match = NAME.exec(inner.startsWith('env:') ? inner.slice(4) : inner)
    if (!match?.[1]) {
      problem = `${whole} is not a variable this loader substitutes (it knows \${env:NAME}, \${NAME} and \${NAME:-default})`
      return whole
    }
    const [, name, fallback] = match
    // Own variables only: `${toString}` or `${env:__proto__}` must not find what every object inherits.
    const own = Object.hasOwn(env, name) ? env[name] : undefined
    if (own !== undefined && typeof own !== 'string') {
      problem = `${whole}: variable ${name} in loadHostConfig()'s env option is not a string (got ${typeof own})`
      return whole
    }
    const found = own ?? fallback
    if (found === undefined) {
      problem = VSCODE_PREDEFINED.has(name)
        ? `${whole} is one of VS Code's predefined variables, which only VS Code fills in: pass it in loadHostConfig()'s env option (e.g. env: { ...process.env, ${name}: process.cwd() }; in a fixture: hostManager(() => loadHostConfig(file, { env })))`
        : `${whole}: environment variable ${name} is not set; set it, or pass it in loadHostConfig()'s env option (in a fixture: hostManager(() => loadHostConfig(file, { env })))`
      return whole
    }
    return found
  })
  return problem === undefined ? { value } : { problem }
}

/** The value at `node` with every string in it substituted; problems become issues at their own path. */
function substituted(node: Node, keys: KeyPath, context: EntryContext): unknown {
  if (node.type === 'string') {
    const result = substitute(String(node.value), context.env)
    if (result.problem !== undefined) context.issues.push({ keys, message: result.problem })
    return result.problem === undefined ? result.value : node.value
  }
  if (node.type === 'array') {
    return (node.children ?? []).map((item, index) => substituted(item, [...keys, index], context))
  }
  if (node.type === 'object') {
    const object: Record<string, unknown> = Object.create(null)
    for (const [key, value] of propertiesOf(node, keys, context.issues)) {
      object[key] = substituted(value, [...keys, key], context)
    }
    return object
  }
  return valueOf(node)
}

/** Which of our transports the entry asks for, or undefined after recording why it is unclear. */
function transportOf(
  props: Map<string, Node>,
  keys: KeyPath,
  issues: FileIssue[],
): 'stdio' | 'http' | undefined {
  const type = props.get('type')
  if (type !== undefined) {
    if (type.value === 'stdio') return 'stdio'
    if (type.value === 'http' || type.value === 'streamable-http') return 'http'
    issues.push({ keys: [...keys, 'type'], message: type.value === 'sse' ? SSE : TYPES })
    return undefined
  }
  if (props.has('command') && props.has('url')) {
    const message = 'give "command" (a server to start) or "url" (a running server), not both'
    issues.push({ keys: [...keys, 'url'], message, at: 'key' })
    return undefined
  }
  if (props.has('command')) return 'stdio'
  if (props.has('url')) return 'http'
  issues.push({
    keys,
    message: 'expected "command" (a server to start) or "url" (a running Streamable HTTP server)',
  })
  return undefined
}

/** Why `key` has no place in an entry of `transport`, or undefined if it has one. */
function keyProblem(key: string, transport: 'stdio' | 'http'): string | undefined {
  const own = transport === 'stdio' ? STDIO_KEYS : HTTP_KEYS
  if (own.includes(key) || key === 'type' || key === 'disabled' || IGNORED_KEYS.includes(key))
    return undefined
  if (key === 'envFile') {
    return '"envFile" is not supported: put the variables in "env" (values may use ${env:NAME})'
  }
  if ((transport === 'stdio' ? HTTP_KEYS : STDIO_KEYS).includes(key)) {
    return transport === 'stdio'
      ? `a stdio entry (one with "command") does not take "${key}"`
      : `an http entry (one with "url") does not take "${key}"`
  }
  return `unknown key "${key}" (stdio entries take ${STDIO_KEYS.join(', ')}; http entries ${HTTP_KEYS.join(', ')})`
}

/**
 * One entry as our server config (not yet validated: validateHostConfig checks the values), or
 * undefined when it is disabled (`"disabled": true`) or has problems, which go to `context.issues`.
 */
export function translateEntry(node: Node, keys: KeyPath, context: EntryContext): object | undefined {
  const { issues } = context
  if (node.type !== 'object') {
    issues.push({ keys, message: 'expected a server entry object ({ "command": ... } or { "url": ... })' })
    return undefined
  }
  const props = propertiesOf(node, keys, issues)
  const disabled = props.get('disabled')
  if (disabled !== undefined && disabled.type !== 'boolean') {
    issues.push({ keys: [...keys, 'disabled'], message: 'expected true or false' })
    return undefined
  }
  // A client does not start a disabled server: nor does the host (and its variables need not be set).
  if (disabled?.value === true) return undefined
  const transport = transportOf(props, keys, issues)
  if (transport === undefined) return undefined
  const config: Record<string, unknown> = { transport }
  let bad = false
  for (const [key, value] of props) {
    const problem = keyProblem(key, transport)
    if (problem !== undefined) {
      issues.push({ keys: [...keys, key], message: problem, at: 'key' })
      bad = true
    } else if ((transport === 'stdio' ? STDIO_KEYS : HTTP_KEYS).includes(key)) {
      config[key] = substituted(value, [...keys, key], context)
    }
  }
  if (transport === 'stdio' && !props.has('cwd')) config.cwd = context.cwd
  return bad ? undefined : config
}
