// loadHostConfig: a host config from a JSON-with-comments config file of Claude, Cursor or VS Code,
// read through any fs (memfs for hermetic tests). Every problem is a ConfigError naming the file,
// the key path inside it and, where the parser knows it, the line and column.
import * as nodeFs from 'node:fs'
import path from 'node:path'
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser'
import { ConfigError, type ConfigIssue } from '../errors.js'
import { validateHostConfig } from './config.js'
import {
  type EntryContext,
  type FileIssue,
  type KeyPath,
  propertiesOf,
  translateEntry,
} from './config-file-entries.js'
import { LineIndex, MAX_NESTING, NodeIndex, tooDeepAt } from './config-file-positions.js'
import type { HostConfig } from './config-types.js'

/** Any object with `node:fs`'s `promises.readFile`: `node:fs` itself, or a memfs volume's fs. */
export interface FsLike {
  promises: { readFile(path: string, encoding: 'utf8'): Promise<string | Uint8Array> }
}

export interface LoadHostConfigOptions {
  /** Where the file is read from; default `node:fs`. */
  fs?: FsLike
  /** What `${env:NAME}` and `${NAME}` are replaced with; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  /** The working directory of stdio servers whose entry names none; default the file's folder. */
  cwd?: string
}

/** The keys a file may keep its servers under: Claude and Cursor's, then VS Code's. */
const SERVER_KEYS = ['mcpServers', 'servers'] as const

// By printParseErrorCode's names: the codes are a const enum, which isolated modules cannot read.
const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'a comment is not closed ("*/" missing)',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is not complete',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'a control character in a string must be escaped',
}

/** Platform error codes in words; others are shown as the platform says them. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a folder on its path is a file',
}

class FileProblems {
  readonly issues: FileIssue[] = []
  readonly #lines: LineIndex
  readonly #nodes: NodeIndex

  constructor(
    readonly file: string,
    text: string,
    root: Node,
  ) {
    this.#lines = new LineIndex(text)
    this.#nodes = new NodeIndex(root)
  }

  /** A ConfigError of these issues, each at the nearest node of its key path that the file has. */
  error(issues: readonly FileIssue[] = this.issues): ConfigError {
    // In file order, as an editor lists them.
    const located = issues
      .map((issue) => this.locate(issue))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    return new ConfigError(located, { file: this.file })
  }

  private locate({ keys, message, at, node: exact }: FileIssue): ConfigIssue {
    const dotted = keys.join('.')
    if (exact) return { path: dotted, message, ...this.#lines.positionOf(exact.offset) }
    for (let n = keys.length; n >= 0; n--) {
      const node = this.#nodes.at(keys.slice(0, n))
      if (!node) continue
      const keyNode = n === keys.length && at === 'key' ? node.parent?.children?.[0] : undefined
      return { path: dotted, message, ...this.#lines.positionOf((keyNode ?? node).offset) }
    }
    return { path: dotted, message }
  }
}

function failure(file: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError([{ path: '', message }], { file, cause })
}

function checkOptions(file: unknown, options: unknown): asserts options is LoadHostConfigOptions {
  const problem = (where: string, message: string) =>
    new ConfigError([{ path: where, message }], 'loadHostConfig()')
  if (typeof file !== 'string' || file === '') throw problem('file', 'expected the path of a config file')
  if (typeof options !== 'object' || options === null) throw problem('options', 'expected an object')
  const { fs, env, cwd } = options as Record<string, unknown>
  const readFile = (fs as { promises?: { readFile?: unknown } } | undefined)?.promises?.readFile
  if (fs !== undefined && typeof readFile !== 'function') {
    throw problem('fs', 'expected an object with promises.readFile (node:fs, or a memfs volume)')
  }
  if (env !== undefined && (typeof env !== 'object' || env === null)) {
    throw problem('env', 'expected an object of variables')
  }
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) {
    throw problem('cwd', 'expected a non-empty string')
  }
}

async function readText(file: string, fs: FsLike | undefined): Promise<string> {
  let content: unknown
  try {
    content = await (fs ?? nodeFs).promises.readFile(file, 'utf8')
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code
    const why =
      typeof code === 'string'
        ? `${READ_FAILURES[code] ?? (error as Error).message} (${code})`
        : error instanceof Error
          ? error.message
          : String(error)
    // A relative path is read from the run's working directory: say which file that was.
    const where = code === 'ENOENT' && !path.isAbsolute(file) ? ` at ${path.resolve(file)}` : ''
    throw failure(file, `cannot read the config file: ${why}${where}`, error)
  }
  if (content instanceof Uint8Array) return new TextDecoder().decode(content)
  if (typeof content !== 'string') throw failure(file, 'fs.promises.readFile returned neither text nor bytes')
  return content
}

/** The parsed file, or a ConfigError at its first syntax error (later ones are usually its echoes). */
function parse(file: string, text: string): Node {
  // The parser recurses: nesting thousands deep would overflow the stack, with no position to show.
  const deep = tooDeepAt(text)
  if (deep !== undefined) {
    const message = `nested deeper than ${MAX_NESTING} objects and arrays: no config needs that; is the file generated wrongly?`
    throw new ConfigError([{ path: '', message, ...new LineIndex(text).positionOf(deep) }], { file })
  }
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false })
  const [first] = errors
  if (first || !root) {
    const message = first ? (SYNTAX[printParseErrorCode(first.error)] ?? 'invalid JSON') : 'expected a value'
    const at = new LineIndex(text).positionOf(first?.offset ?? 0)
    throw new ConfigError([{ path: '', message: `${message} (JSON with comments)`, ...at }], { file })
  }
  return root
}

/**
 * Maps an issue of validateHostConfig (`servers.<name>.<field>...`) to its key path in the file. A
 * server name may hold dots: the longest known name the path continues with is the one.
 */
function keysOf(issuePath: string, serversKey: string, names: ReadonlySet<string>): KeyPath {
  // Candidates end at the path's end, then at each "." after "servers.", longest first: one set lookup each.
  const prefix = 'servers.'
  let name: string | undefined
  if (issuePath.startsWith(prefix)) {
    for (let end = issuePath.length; end >= prefix.length; end = issuePath.lastIndexOf('.', end - 1)) {
      const candidate = issuePath.slice(prefix.length, end)
      if (names.has(candidate)) {
        name = candidate
        break
      }
    }
  }
  if (name === undefined) return issuePath.split('.')
  const rest = issuePath.slice(`servers.${name}.`.length)
  if (rest === '') return [serversKey, name]
  const [field = '', ...more] = rest.split('.')
  if (more.length === 0) return [serversKey, name, field]
  // env and headers keys may hold dots; an argument is an index.
  if (field === 'args') return [serversKey, name, field, Number(more[0])]
  return [serversKey, name, field, ...(field === 'env' || field === 'headers' ? [more.join('.')] : more)]
}

/**
 * Reads the MCP servers of a config file users already have: `{ "mcpServers": { ... } }` (Claude
 * Code's .mcp.json, Claude Desktop, Cursor) or `{ "servers": { ... } }` (VS Code's mcp.json), JSON
 * with comments and trailing commas. An entry with `command` is a stdio server, one with `url` (or
 * `"type": "http"` / `"streamable-http"`) a running Streamable HTTP server. `${env:NAME}`, `${NAME}`
 * and `${NAME:-default}` in strings are replaced from `options.env` (default `process.env`).
 * Entries with `"disabled": true` are left out. Every problem is a ConfigError with `file` set.
 *
 * @example
 * const config = await loadHostConfig('.mcp.json', { env: { API_KEY: 'test-key' } })
 * await using host = await HostManager.start(config)
 *
 * // Hermetic, on a memfs volume:
 * const { fs } = memfs({ '/app/.mcp.json': '{ "mcpServers": { "w": { "command": "node", "args": ["w.js"] } } }' })
 * const config = await loadHostConfig('/app/.mcp.json', { fs })
 */
export async function loadHostConfig(file: string, options: LoadHostConfigOptions = {}): Promise<HostConfig> {
  checkOptions(file, options)
  // A byte-order mark is no column for an editor either.
  const text = (await readText(file, options.fs)).replace(/^\uFEFF/, '')
  const root = parse(file, text)
  const problems = new FileProblems(file, text, root)
  const fail = (keys: KeyPath, message: string) => problems.error([{ keys, message }])
  if (root.type !== 'object') {
    throw fail([], 'expected an object with "mcpServers" (Claude, Cursor) or "servers" (VS Code)')
  }
  // Other top-level keys belong to the app that owns the file (Claude Desktop keeps its settings there).
  const top = propertiesOf(root, [], problems.issues)
  const present = SERVER_KEYS.filter((key) => top.has(key))
  if (present.length > 1) throw fail(['servers'], 'has both "mcpServers" and "servers": keep one')
  const serversKey = present[0]
  const serversNode = serversKey && top.get(serversKey)
  if (!serversKey || !serversNode) {
    throw fail([], 'expected an object with "mcpServers" (Claude, Cursor) or "servers" (VS Code)')
  }
  if (serversNode.type !== 'object') throw fail([serversKey], 'expected an object of named server entries')
  const context: EntryContext = {
    env: options.env ?? process.env,
    cwd: options.cwd ?? path.dirname(path.resolve(file)),
    issues: problems.issues,
  }
  const servers: Record<string, unknown> = Object.create(null)
  for (const [name, entry] of propertiesOf(serversNode, [serversKey], problems.issues)) {
    const before = problems.issues.length
    const config = translateEntry(entry, [serversKey, name], context)
    // An entry with problems is not validated too: its values would be reported twice.
    if (config !== undefined && problems.issues.length === before) servers[name] = config
  }
  try {
    const valid = validateHostConfig({ servers })
    if (problems.issues.length > 0) throw problems.error()
    return valid
  } catch (error) {
    if (!(error instanceof ConfigError) || error.file !== undefined) throw error
    const names = new Set(Object.keys(servers))
    for (const issue of error.issues) {
      problems.issues.push({ keys: keysOf(issue.path, serversKey, names), message: issue.message })
    }
    throw problems.error()
  }
}
