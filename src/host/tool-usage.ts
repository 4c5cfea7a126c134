// Which tools each server advertised and which were called, with each call's duration: seen on the
// wire (every `tools/list` answer, every `tools/call` sent and its answer), so calls through
// `client(name)` count as the host's own do. Recorded only when the plugin's `toolCoverage` asks.
import { realpathSync, statSync } from 'node:fs'
import { delimiter, resolve, sep } from 'node:path'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { redactUrl } from '../launchers/redact-url.js'
import type { ServerConfig } from '../launchers/server-config.js'
import { processWide } from '../scope/index.js'

/** Durations kept per tool between two takes; beyond it a uniform sample (count, max and errors stay exact). */
export const MAX_SAMPLES = 10_000

export interface ToolCallStats {
  /** Calls sent (answered or not). */
  count: number
  /** Calls answered with an error or `isError`, or never answered before the connection ended. */
  errors: number
  maxMs: number
  /** Calls answered, whose durations were sampled. */
  timed: number
  /** Durations in ms: all of them up to MAX_SAMPLES, a uniform sample beyond. */
  samplesMs: number[]
}

/** What one server (by its name and what it runs) advertised and was called for since the last take. */
export interface ServerToolUsage {
  readonly name: string
  /** What it runs: command line, URL or module, so one name for two different servers counts twice. */
  readonly identity: string
  readonly listed: string[]
  readonly calls: Record<string, ToolCallStats>
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

/**
 * A command or argument as a path where it names a file: a bare command found on PATH, a relative
 * one against `cwd`, links resolved. So `node x.js` from a config file and `process.execPath` with
 * an absolute path are one server; anything else stays as written.
 */
function canonical(word: string, cwd: string, command: boolean): string {
  const candidates =
    command && !word.includes(sep)
      ? (process.env.PATH ?? '').split(delimiter).map((dir) => resolve(dir, word))
      : [resolve(cwd, word)]
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return realpathSync(candidate)
    } catch {
      // Not there: the next one, or the word as written.
    }
  }
  return word
}

function commandLine(command: string, args: readonly string[] = [], cwd = process.cwd()): string {
  return [canonical(command, cwd, true), ...args.map((arg) => canonical(arg, cwd, false))].join(' ')
}

/** What `config` runs, as one line: the same for the same server in every file and worker. */
export function serverIdentity(config: ServerConfig): string {
  switch (config.transport) {
    case 'stdio':
      return commandLine(config.command, config.args, config.cwd)
    case 'http':
      // Printed in the coverage summary: an `api_key` in the query must not be.
      return 'url' in config ? redactUrl(config.url) : commandLine(config.command, config.args, config.cwd)
    case 'worker':
      return `${config.module}#${config.export ?? 'default'}`
    case 'memory':
      return `memory: ${config.server.name || 'anonymous factory'}`
  }
}

function usageOf(name: string, identity: string): ServerToolUsage {
  const key = `${name}\0${identity}`
  let usage = state.servers.get(key)
  if (!usage) {
    // No prototype: a tool may be called `__proto__` or `toString`.
    usage = { name, identity, listed: [], calls: Object.create(null) as Record<string, ToolCallStats> }
    state.servers.set(key, usage)
  }
  return usage
}

function statsOf(name: string, identity: string, tool: string): ToolCallStats {
  const usage = usageOf(name, identity)
  return (usage.calls[tool] ??= { count: 0, errors: 0, maxMs: 0, timed: 0, samplesMs: [] })
}

/** An answered call: its duration kept (sampled beyond MAX_SAMPLES), an error counted. */
function recordAnswer(stats: ToolCallStats, ms: number, failed: boolean): void {
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

function recordListed(name: string, identity: string, tools: unknown): void {
  if (!Array.isArray(tools)) return
  const usage = usageOf(name, identity)
  for (const tool of tools) {
    const toolName = (tool as { name?: unknown } | null)?.name
    if (typeof toolName === 'string' && !usage.listed.includes(toolName)) usage.listed.push(toolName)
  }
}

// The tool, not its stats: a take between the call and its answer starts new stats.
type Sent = { method: 'tools/list' } | { method: 'tools/call'; tool: string; at: number }

/**
 * Records `server`'s tools/list answers and tools/calls on `transport` (wired, not started: see
 * `ClientSide.observe`). Nothing is wrapped unless recording is on.
 */
export function observeToolUsage(server: string, config: ServerConfig, transport: Transport): void {
  if (!state.enabled) return
  const identity = serverIdentity(config)
  // Requests in flight by id; an answer removes its entry, and so does the connection's end.
  const pending = new Map<string | number, Sent>()
  const send = transport.send.bind(transport)
  transport.send = (message, options) => {
    try {
      if ('method' in message && 'id' in message) {
        if (message.method === 'tools/list') pending.set(message.id, { method: 'tools/list' })
        if (message.method === 'tools/call') {
          const tool = (message.params as { name?: unknown } | undefined)?.name
          if (typeof tool === 'string') {
            // Called once sent: a call the server never answers still reached it.
            statsOf(server, identity, tool).count++
            pending.set(message.id, { method: 'tools/call', tool, at: performance.now() })
          }
        }
      }
    } catch {
      // Bookkeeping must never cost the client a message.
    }
    return send(message, options)
  }
  const receive = transport.onmessage
  transport.onmessage = (message: JSONRPCMessage, extra?: unknown) => {
    try {
      if (!('method' in message) && 'id' in message && message.id !== undefined) {
        const sent = pending.get(message.id)
        if (sent) {
          pending.delete(message.id)
          const result = 'result' in message ? (message.result as Record<string, unknown>) : undefined
          if (sent.method === 'tools/list') recordListed(server, identity, result?.tools)
          else {
            const failed = 'error' in message || result?.isError === true
            recordAnswer(statsOf(server, identity, sent.tool), performance.now() - sent.at, failed)
          }
        }
      }
    } catch {
      // Bookkeeping must never cost the client a message.
    }
    ;(receive as ((m: JSONRPCMessage, e?: unknown) => void) | undefined)?.call(transport, message, extra)
  }
  const closed = transport.onclose
  transport.onclose = () => {
    for (const sent of pending.values())
      if (sent.method === 'tools/call') statsOf(server, identity, sent.tool).errors++
    pending.clear()
    closed?.call(transport)
  }
}
