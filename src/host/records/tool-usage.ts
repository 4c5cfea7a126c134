// Which tools each server advertised and which were called, with each call's duration: seen on the
// wire (every `tools/list` answer, every `tools/call` sent and its answer), so calls through
// `client(name)` count as the host's own do. Recorded only when the plugin's `toolCoverage` asks.
import { realpathSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, resolve, sep } from 'node:path'
import type { ServerConfig } from '../../launchers/server-config.js'
import { redactUrl } from '../../launchers/util/redact-url.js'
import { processWide } from '../../scope/index.js'
import type { TapListener } from '../../wire/tap-types.js'

/** Durations kept per tool between two takes; beyond it a uniform sample (count, max and errors stay exact). */
export const MAX_SAMPLES = 10_000

export interface ToolCallStats {
  /** Calls sent (answered or not). */
  count: number
  /**
   * Calls answered with an error or `isError`, given up by the client (its timeout or signal), or
   * never answered before the connection ended.
   */
  errors: number
  /** Calls the client gave up on at their timeout: also errors, and timed until then. */
  timeouts: number
  maxMs: number
  /** Calls with a duration, whose durations were sampled: answered, or timed out (at their timeout). */
  timed: number
  /** Durations in ms: all of them up to MAX_SAMPLES, a uniform sample beyond. */
  samplesMs: number[]
}

/** What one server (by its name and what it runs) advertised and was called for since the last take. */
export interface ServerToolUsage {
  readonly name: string
  /** What it runs (see `serverIdentity`), so one name for two different servers counts twice. */
  readonly identity: string
  readonly listed: string[]
  readonly calls: Record<string, ToolCallStats>
  /**
   * Its identity leaves the port out (a URL server): one connection's record, told apart from
   * others of its name and identity by the tools it listed when the records are merged.
   */
  readonly byToolSet?: true
}

let connections = 0

/**
 * One connection to a server whose identity leaves its port out: tests that each start their own
 * server on a random port run one server only when those list the same tools (different ones
 * sharing a name and a URL path are different servers). The tools it listed outlive a take.
 */
export class PortlessConnection {
  readonly id = ++connections
  listed: readonly string[] = []
}

/** A record per connection for an identity without its port (see PortlessConnection); else none. */
export function connectionFor(identity: string): PortlessConnection | undefined {
  return /^[a-z][\w+.-]*:\/\/[^/]*:\*(?:\/|$)/i.test(identity) ? new PortlessConnection() : undefined
}

// Plain data, process-wide: the plugin's setup file and the user's import may be two copies.
const state = processWide('tool usage', () => ({
  enabled: false,
  servers: new Map<string, ServerToolUsage>(),
}))

/** Turns recording on (the plugin's setup file, with `toolCoverage`), or off for hosts started after. */
export function recordToolUsage(on = true): void {
  state.enabled = on
}

/** Whether hosts record (then a sole server's tools are listed before its first call: see ServerSet.target). */
export function toolUsageRecorded(): boolean {
  return state.enabled
}

/** What was recorded since the last take, per server; recording goes on from empty. */
export function takeToolUsage(): ServerToolUsage[] {
  const taken = [...state.servers.values()]
  state.servers = new Map()
  return taken
}

/** The file `word` names (a bare command looked up on PATH, else against `cwd`), links resolved. */
function fileAt(word: string, cwd: string, command: boolean): string | undefined {
  const candidates =
    command && !word.includes(sep)
      ? (process.env.PATH ?? '').split(delimiter).map((dir) => resolve(dir, word))
      : [resolve(cwd, word)]
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return realpathSync(candidate)
    } catch {
      // Not there: the next one.
    }
  }
  return undefined
}

/** A file a runtime runs (`node a.js`, `python b.py`): what tells two servers of one command apart. */
const SCRIPT = /\.(?:[cm]?[jt]s|[jt]sx|py|rb|php|pl|sh)$/

let tempRoot: string | undefined
/** Whether `path` (links resolved) is under the OS temp dir. */
function inTempDir(path: string): boolean {
  if (tempRoot === undefined) {
    try {
      tempRoot = realpathSync(tmpdir())
    } catch {
      tempRoot = tmpdir()
    }
  }
  return path.startsWith(tempRoot + sep)
}

/**
 * Whether a script was written for a test: it is in the temp dir and the project is not (a checkout
 * under the temp dir, as some CI runners make, keeps its scripts).
 */
function writtenForATest(file: string): boolean {
  if (!inTempDir(file)) return false
  try {
    return !inTempDir(realpathSync(process.cwd()))
  } catch {
    return true
  }
}

/**
 * The command as spawned: the command (found on PATH, made absolute, so `node` and
 * `process.execPath` are one) and its script: the first argument naming a file, when it is a
 * script (`.js`, `.ts`, `.py`, ...) not written for a test. Other arguments, `env` and `cwd` are not
 * part: a test that passes its own temp dir, port or data file runs the same server as the others.
 */
function commandOf(command: string, args: readonly string[] = [], cwd = process.cwd()): string {
  const words = [fileAt(command, cwd, true) ?? command]
  for (const arg of args) {
    if (arg.startsWith('-')) continue
    const file = fileAt(arg, cwd, false)
    if (file === undefined) continue // a package name, a directory, a value: on to the next
    if (SCRIPT.test(file) && !writtenForATest(file)) words.push(file)
    break
  }
  return words.join(' ')
}

/** A URL without its port, query and credentials: a test's own server on a port of its own is one server. */
function urlOf(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? ':*' : ''}${parsed.pathname}`
  } catch {
    return redactUrl(url)
  }
}

/**
 * What `config` runs, as one line: the same for the same server in every test, file and worker.
 * With the config name it identifies a server in the coverage summary.
 */
export function serverIdentity(config: ServerConfig): string {
  switch (config.transport) {
    case 'stdio':
      return commandOf(config.command, config.args, config.cwd)
    case 'http':
      // Printed in the coverage summary: no query (an `api_key` must not be), no credentials.
      return 'url' in config ? urlOf(config.url) : commandOf(config.command, config.args, config.cwd)
    case 'worker':
      return `${config.module}#${config.export ?? 'default'}`
    case 'memory':
      return `memory: ${config.server.name || 'anonymous factory'}`
  }
}

function usageOf(name: string, identity: string, connection?: PortlessConnection): ServerToolUsage {
  const key = connection ? `${name}\0${identity}\0${connection.id}` : `${name}\0${identity}`
  let usage = state.servers.get(key)
  if (!usage) {
    // No prototype: a tool may be called `__proto__` or `toString`.
    const calls = Object.create(null) as Record<string, ToolCallStats>
    usage = connection
      ? { name, identity, listed: [...connection.listed], calls, byToolSet: true }
      : { name, identity, listed: [], calls }
    state.servers.set(key, usage)
  }
  return usage
}

export function statsOf(
  name: string,
  identity: string,
  tool: string,
  connection?: PortlessConnection,
): ToolCallStats {
  const usage = usageOf(name, identity, connection)
  return (usage.calls[tool] ??= { count: 0, errors: 0, timeouts: 0, maxMs: 0, timed: 0, samplesMs: [] })
}

/** A call answered or timed out: its duration kept (sampled beyond MAX_SAMPLES), an error counted. */
export function recordDuration(stats: ToolCallStats, ms: number, failed: boolean): void {
  if (failed) stats.errors++
  stats.maxMs = Math.max(stats.maxMs, ms)
  const timed = ++stats.timed
  if (stats.samplesMs.length < MAX_SAMPLES) stats.samplesMs.push(ms)
  else {
    // Reservoir sampling: every answered call so far equally likely to be kept.
    const slot = Math.floor(Math.random() * timed)
    if (slot < MAX_SAMPLES) stats.samplesMs[slot] = ms
  }
}

export function recordListed(
  name: string,
  identity: string,
  tools: unknown,
  connection?: PortlessConnection,
): void {
  if (!Array.isArray(tools)) return
  const usage = usageOf(name, identity, connection)
  for (const tool of tools) {
    const toolName = (tool as { name?: unknown } | null)?.name
    if (typeof toolName === 'string' && !usage.listed.includes(toolName)) usage.listed.push(toolName)
  }
  if (connection) connection.listed = [...usage.listed]
}

/**
 * Whether a `notifications/cancelled` reason (text on the wire, not an error object) tells of a
 * request timeout: the SDK's or the host's ("Request timed out": SDK v2's `SdkError`, v1's
 * `McpError` -32001), or an `AbortSignal.timeout()` (`TimeoutError`). Not `isRequestTimeout()`
 * (request-timeout.ts), which checks an error object and loads the SDK: this module stays light.
 */
function isTimeoutReason(reason: unknown): boolean {
  return /MCP error -32001\b|\bTimeoutError\b|\bRequest timed out\b/.test(String(reason))
}

/** A tools/call the client gave up on: an error; at its timeout, timed until then, so a slow tool shows. */
function recordGivenUp(stats: ToolCallStats, ms: number, reason: unknown): void {
  if (!isTimeoutReason(reason)) {
    stats.errors++
    return
  }
  stats.timeouts++
  recordDuration(stats, ms, true)
}

// The tool, not its stats: a take between the call and its answer starts new stats.
type Sent = { method: 'tools/list' } | { method: 'tools/call'; tool: string; at: number }

/**
 * A wire-tap listener recording `server`'s tools/list answers and tools/calls; none unless recording
 * is on. (The tap guards listeners: bookkeeping never costs the client a message.)
 */
export function toolUsageListener(server: string, config: ServerConfig): TapListener | undefined {
  if (!state.enabled) return undefined
  const identity = serverIdentity(config)
  const connection = connectionFor(identity)
  const stats = (tool: string) => statsOf(server, identity, tool, connection)
  // Requests in flight by id; an answer removes its entry, and so does the connection's end.
  const pending = new Map<string | number, Sent>()
  return {
    outbound({ message }) {
      if ('method' in message && !('id' in message) && message.method === 'notifications/cancelled') {
        // The client gave up (its timeout or signal): a late answer no longer counts.
        const { requestId, reason } = (message.params ?? {}) as {
          requestId?: string | number
          reason?: unknown
        }
        const sent = requestId === undefined ? undefined : pending.get(requestId)
        if (sent?.method === 'tools/call' && requestId !== undefined) {
          pending.delete(requestId)
          recordGivenUp(stats(sent.tool), performance.now() - sent.at, reason)
        }
      }
      if (!('method' in message) || !('id' in message)) return
      if (message.method === 'tools/list') pending.set(message.id, { method: 'tools/list' })
      if (message.method === 'tools/call') {
        const tool = (message.params as { name?: unknown } | undefined)?.name
        if (typeof tool === 'string') {
          // Called once sent: a call the server never answers still reached it.
          stats(tool).count++
          pending.set(message.id, { method: 'tools/call', tool, at: performance.now() })
        }
      }
    },
    inbound({ message }) {
      if ('method' in message || !('id' in message) || message.id === undefined) return undefined
      const sent = pending.get(message.id)
      if (!sent) return undefined
      pending.delete(message.id)
      const result = 'result' in message ? (message.result as Record<string, unknown>) : undefined
      if (sent.method === 'tools/list') recordListed(server, identity, result?.tools, connection)
      else {
        const failed = 'error' in message || result?.isError === true
        recordDuration(stats(sent.tool), performance.now() - sent.at, failed)
      }
      return undefined
    },
    close() {
      for (const sent of pending.values()) if (sent.method === 'tools/call') stats(sent.tool).errors++
      pending.clear()
    },
  }
}
