// What a server writes on stdout cannot make the host's memory or time grow without bound: junk
// lines are counted and the latest kept shortened, lines are split in linear time, a line over the
// maximum is dropped with a note, and a large but valid response still arrives whole.
import { expect, test, vi } from 'vitest'
import type { StdioServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { NOISE_SHOWN } from '../../src/launchers/output/stdout-noise.js'
import { DETAIL_MAX } from '../../src/launchers/timeline.js'
import { MAX_LINE_BYTES } from '../../src/launchers/transports/stdio-transport.js'
import { MAX_REPORTS_PER_RULE } from '../../src/wire/check/index.js'
import { rawStdioServer } from '../support/servers.js'
import { markEnv, markedServers } from './process-helpers.js'

// Bounds are asserted inside each test, with a message; Vitest's own 5 s would cut them short.
const slow = { timeout: 30_000 }
const MB = 1024 * 1024
const mark = markedServers()

function raw(label: string, ...args: string[]): StdioServerConfig {
  // A generous request timeout: the bounds below are what the tests assert, not the SDK's timer.
  return { ...rawStdioServer(args, markEnv(mark(label))), requestTimeout: 60_000 }
}

function textOf(result: unknown): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>
  return first?.type === 'text' ? (first.text ?? '') : ''
}

/** Starts a host on `config`, calls its tool (answered after whatever the server writes first), stops it. */
async function callOnce(config: StdioServerConfig) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  const host = await HostManager.start({ servers: { raw: config } })
  try {
    const started = performance.now()
    const result = await host.callTool('echo', {})
    const ms = performance.now() - started
    const entry = host.entries[0]
    if (!entry) throw new Error('the host has no server entry')
    return { host, entry, result, ms, warnings: warn.mock.calls.map((call) => String(call[0])) }
  } finally {
    warn.mockRestore()
    await host.shutdown()
  }
}

test(
  '10 MB of junk lines: counted, the latest kept shortened; timeline, stderr and wire violations bounded',
  slow,
  async () => {
    const lines = (10 * MB) / 100
    const { host, entry, result, warnings } = await callOnce(
      raw('flood', `--flood=${10 * MB}`, '--flood-line=100'),
    )
    expect(textOf(result)).toBe('hello')
    expect(entry.noise.count).toBe(Math.floor(lines))
    expect(entry.noise.recent.length).toBeLessThanOrEqual(20)
    expect(entry.noise.recent.at(-1)).toEqual({ line: 'x'.repeat(99), reason: 'not JSON', bytes: 99 })
    const events = entry.timeline.events
    expect(events.length).toBeLessThanOrEqual(100 + 400 + 20)
    expect(entry.timeline.dropped).toBeGreaterThan(lines - 600)
    // Lifecycle events survive the flood between them.
    for (const event of ['spawn', 'initialized', 'state ready', 'stdin-close', 'exit', 'state exited'])
      expect(events.map((e) => e.event)).toContain(event)
    expect(events.find((e) => e.event === 'dropped')?.detail).toMatch(/^\d+ events not kept/)
    expect(entry.stderr().length).toBeLessThan(17 * 1024)
    // Each line is a wire violation (no warning), reported at most MAX_REPORTS_PER_RULE times.
    expect(warnings).toEqual([])
    const violations = host.wireLedger.list().map((r) => r.violation)
    expect(violations).toHaveLength(MAX_REPORTS_PER_RULE)
    expect(violations[0]).toMatchObject({ rule: 'stdio.non-json-line', excerpt: `"${'x'.repeat(99)}"` })
  },
)

test(
  `one 100 MB junk line (over the ${MAX_LINE_BYTES / MB} MiB maximum): dropped with a note, in linear time; the server keeps working`,
  slow,
  async () => {
    const { entry, result, ms, warnings } = await callOnce(raw('long-line', `--long-line=${100 * MB}`))
    expect(textOf(result)).toBe('hello')
    // Rescanning a growing buffer for every chunk took 42 s and 2.4 GB here; linear is ~1 s.
    expect(ms, 'a 100 MB line took too long to skip: is the line split still quadratic?').toBeLessThan(15_000)
    const note = `[stdout, over 64 MiB long, so it was dropped (later lines are read)] ${'y'.repeat(NOISE_SHOWN)}`
    expect(entry.stderr()).toContain(note)
    expect(entry.noise.count).toBe(1)
    expect(entry.noise.recent[0]?.bytes).toBeGreaterThan(MAX_LINE_BYTES)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('wrote a line to stdout that is over 64 MiB long, so it was dropped')
    // What the warning shows of the line is cut short, not 100 MB of it.
    expect(warnings[0]?.length).toBeLessThan(NOISE_SHOWN + 400)
    for (const event of entry.timeline.events) expect(event.detail?.length ?? 0).toBeLessThan(DETAIL_MAX + 40)
  },
)

test(
  'a 20 MB tool result (one valid JSON-RPC line, over the SDK reader’s 10 MB) arrives whole',
  slow,
  async () => {
    const { result, ms, entry } = await callOnce(raw('big-result', `--result=${20 * MB}`))
    const text = textOf(result)
    expect(text.length).toBe(20 * MB)
    expect(text).toBe('z'.repeat(20 * MB))
    expect(ms, 'a 20 MB response took too long').toBeLessThan(10_000)
    expect(entry.noise.count).toBe(0)
  },
)
