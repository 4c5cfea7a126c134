// A real third-party server: @modelcontextprotocol/server-everything 2026.8.31 (pinned devDependency),
// spawned over stdio and over Streamable HTTP on the port the host passes as PORT. The host's client
// declares no capabilities, so its sampling, elicitation and roots tools are not registered.
// After every test nothing it spawned runs.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { groupMembers } from '../../src/launchers/processes/process-table.js'
import { isDead, markEnv, markedPids, markedServers, waitForMarked } from '../launchers/process-helpers.js'
import { EVERYTHING_BASE_TOOLS, everythingEntry } from '../support/server-everything.js'

const newMark = markedServers()

function textOf(result: unknown): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>
  return first?.type === 'text' ? (first.text ?? '') : ''
}

function expectAllGone(pid: number | undefined, mark: string): void {
  if (pid !== undefined) {
    expect(groupMembers(pid)).toEqual([])
    expect(isDead(pid)).toBe(true)
  }
  expect(markedPids(mark)).toEqual([])
}

/** The same checks on either transport: tools, a call, templates, a prompt, a template resource. */
async function exercise(host: HostManager): Promise<void> {
  expect(host.client('everything').getServerVersion()?.name).toMatch(/everything/)
  const tools = (await host.listTools()).map((t) => t.name).sort()
  expect(tools).toEqual(EVERYTHING_BASE_TOOLS)
  // Registered only for clients that declare sampling / elicitation / roots.
  expect(tools.filter((name) => /sampling|elicitation|roots/.test(name))).toEqual([])

  expect(textOf(await host.callTool('echo', { message: 'hello from vitest-mcp-host' }))).toBe(
    'Echo: hello from vitest-mcp-host',
  )

  const templates = (await host.listResourceTemplates()).map((t) => t.uriTemplate).sort()
  expect(templates).toEqual([
    'demo://resource/dynamic/blob/{resourceId}',
    'demo://resource/dynamic/text/{resourceId}',
  ])
  // Templates are not listed as resources, but a URI they match can be read.
  const resources = (await host.listResources()).map((r) => r.uri)
  expect(resources.some((uri) => uri.startsWith('demo://resource/dynamic/'))).toBe(false)
  const dynamic = await host.readResource('demo://resource/dynamic/text/7')
  expect(dynamic.contents[0]?.uri).toBe('demo://resource/dynamic/text/7')

  const prompt = await host.getPrompt('args-prompt', { city: 'Lisbon' })
  expect(JSON.stringify(prompt.messages)).toContain("What's weather in Lisbon?")
}

describe('@modelcontextprotocol/server-everything', () => {
  test('stdio: serves its tools, templates and prompts; exits on stdin close, no signal needed', async () => {
    const mark = newMark('everything-stdio')
    const config: ServerConfig = {
      transport: 'stdio',
      command: process.execPath,
      args: [everythingEntry, 'stdio'],
      env: markEnv(mark),
      // Its 350 ms roots-sync timer (armed after initialize) delays the exit on stdin close; a
      // long grace keeps a loaded machine from turning that delay into a SIGTERM.
      shutdown: { graceMs: 3000 },
    }
    const host = await HostManager.start({ servers: { everything: config } })
    const handle = host.server('everything')
    const pid = handle.pid
    try {
      expect(await waitForMarked(mark)).toBe(pid)
      await exercise(host)
      expect(handle.stderr()).toContain('Starting default (STDIO) server...')
    } finally {
      await host.shutdown()
    }
    expect(handle.state).toBe('exited')
    const report = host.entries[0]?.stopReport
    // It handles SIGINT only, but with no timer left its event loop ends once stdin closes.
    expect(report?.signals).toEqual([])
    expect(report?.exit).toEqual({ code: 0, signal: null })
    expect(report?.leftovers).toEqual([])
    expectAllGone(pid, mark)
  })

  test('Streamable HTTP, spawned: listens on the PORT the host passes; ignores stdin close, so SIGTERM ends it', async () => {
    const mark = newMark('everything-http')
    const config: ServerConfig = {
      transport: 'http',
      command: process.execPath,
      args: [everythingEntry, 'streamableHttp'],
      path: '/mcp',
      env: markEnv(mark),
      shutdown: { graceMs: 200 },
    }
    const host = await HostManager.start({ servers: { everything: config } })
    const handle = host.server('everything')
    const pid = handle.pid
    try {
      expect(handle.transport).toBe('http')
      expect(await waitForMarked(mark)).toBe(pid)
      await exercise(host)
      // It says where it listens (stderr), and chatters on stdout (kept in the tail, marked).
      const listening = /MCP Streamable HTTP Server listening on port (\d+)/.exec(handle.stderr())
      expect(listening).not.toBeNull()
      expect(handle.stderr()).toContain('[stdout] Starting Streamable HTTP server...')
      expect(handle.url).toBe(`http://127.0.0.1:${listening?.[1]}/mcp`)
      if (process.platform === 'linux' && pid !== undefined) {
        const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')
        expect(environ).toContain(`PORT=${listening?.[1]}`)
      }
    } finally {
      await host.shutdown()
    }
    expect(handle.state).toBe('exited')
    const events = host.entries[0]?.timeline.events.map((e) => e.event) ?? []
    expect(events).toContain('session-terminated')
    // It never reads stdin: no stdin phase, SIGTERM (its default action) is its ordinary stop.
    expect(events).not.toContain('stdin-close')
    expect(events).toContain('SIGTERM')
    const report = host.entries[0]?.stopReport
    expect(report?.signals).toEqual([])
    expect(report?.exit).toEqual({ code: null, signal: 'SIGTERM' })
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
    expect(report?.leftovers).toEqual([])
    expectAllGone(pid, mark)
  })
})
