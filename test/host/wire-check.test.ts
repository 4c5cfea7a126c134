// The wire check on a host's own connections (issue 22): each server's traffic checked, violations
// kept in the host's ledger with the test they travelled for and marked on the server's timeline; the
// host's wire, the server's own wire and its ignore list; a stdio server's non-JSON line; a host
// handler's malformed answer named as the host's. Charging them to tests: test/e2e/wire.test.ts.
import { fileURLToPath } from 'node:url'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js'
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { closeAndJudge } from '../../src/fixtures/judge.js'
import type { HostConfig, MemoryServerConfig, ServerConfig } from '../../src/host/config/config-types.js'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { isListedOnly } from '../../src/host/records/wire-ledger.js'
import { runAttributed } from '../../src/scope/index.js'
import { misbehavingServer } from '../../src/servers/index.js'
import { ProtocolViolationError } from '../../src/wire/check/index.js'

/** The SDK-free stdio server of the e2e wire check (a tool per misbehaviour). */
const badStdio: ServerConfig = {
  transport: 'stdio',
  command: process.execPath,
  args: [fileURLToPath(new URL('../support/raw-stdio-server.mjs', import.meta.url)), '--wire-faults'],
}

type Handler = (request: unknown, extra: unknown) => unknown

/**
 * A memory server whose `add` breaks its outputSchema (a string sum), set past the SDK's own check;
 * `seen` gets the method of each tools/list and tools/call it receives, in order.
 */
function badOutputServer(seen: string[] = [], listDelayMs = 0): MemoryServerConfig {
  return {
    transport: 'memory',
    server: () => {
      const mcp = new McpServer({ name: 'bad-output', version: '1.0.0' })
      mcp.registerTool('add', { outputSchema: { sum: z.number() } }, () => ({
        content: [{ type: 'text', text: '{"sum":5}' }],
        structuredContent: { sum: 5 },
      }))
      const handlers = (mcp.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers
      const list = handlers.get('tools/list') as Handler
      handlers.set('tools/list', async (request, extra) => {
        seen.push('tools/list')
        // A slow listing: still under way when a host shut down at once stops its servers.
        if (listDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, listDelayMs))
        return list(request, extra)
      })
      Protocol.prototype.setRequestHandler.call(
        mcp.server,
        CallToolRequestSchema as never,
        (() => {
          seen.push('tools/call')
          return { content: [{ type: 'text', text: '{"sum":"five"}' }], structuredContent: { sum: 'five' } }
        }) as never,
      )
      return mcp
    },
  }
}

async function callAndCatch(host: HostManager): Promise<void> {
  // Not listed first: the check lists the tools once the result arrives, and checks it then.
  await host.callTool('add', {}).catch(() => {})
  await host.wireLedger.settled()
}

const rules = (host: HostManager) => host.wireLedger.list().map((r) => r.violation.rule)

describe("a host's connections are checked", () => {
  test('a broken outputSchema: one error violation of the server, for the test that called, on its timeline', async () => {
    const run = { label: 'test "calls add"', shared: false }
    await using host = await HostManager.start({ servers: { bad: badOutputServer() } })
    await runAttributed(run, () => callAndCatch(host))
    const [recorded, ...rest] = host.wireLedger.list()
    expect(rest).toEqual([])
    expect(recorded).toMatchObject({
      attribution: run,
      listed: false,
      violation: {
        rule: 'tool.output-schema',
        severity: 'error',
        direction: 'server',
        server: 'bad',
        method: 'tools/call add',
        path: 'result.structuredContent.sum',
      },
    })
    const marks = (host.entries[0]?.timeline.events ?? []).filter((e) => e.event === 'wire-violation')
    expect(marks.map((e) => e.detail)).toEqual([expect.stringContaining('tool.output-schema')])
  })

  test('the first callTool sends no tools/list before tools/call: the tools are listed after, for its output', async () => {
    const seen: string[] = []
    const run = { label: 'test "calls add"', shared: false }
    await using host = await HostManager.start({ servers: { bad: badOutputServer(seen) } })
    const result = await runAttributed(run, () => host.callTool('add', {}))
    // The call is answered before its check: the listing is off the test's path.
    expect(result.structuredContent).toEqual({ sum: 'five' })
    await host.wireLedger.settled()
    expect(seen).toEqual(['tools/call', 'tools/list'])
    expect(host.wireLedger.list().map((r) => [r.violation.rule, r.attribution])).toEqual([
      ['tool.output-schema', run],
    ])
    // Listed once: a second call is checked at once, with nothing more listed (the SDK, knowing the
    // schema now, rejects it too).
    await host.callTool('add', {}).catch(() => {})
    expect(seen).toEqual(['tools/call', 'tools/list', 'tools/call'])
    expect(rules(host)).toEqual(['tool.output-schema', 'tool.output-schema'])
    expect(host.pendingRequests).toEqual([])
  })

  test('a host shut down right after the call: its result is checked before the server goes', async () => {
    const host = await HostManager.start({ servers: { bad: badOutputServer([], 300) } })
    await host.callTool('add', {})
    await host.shutdown()
    expect(rules(host)).toEqual(['tool.output-schema'])
  })

  test('with tool.output-schema ignored, nothing is listed for it', async () => {
    const seen: string[] = []
    await using host = await HostManager.start({
      servers: { bad: { ...badOutputServer(seen), wire: { ignore: ['tool.output-schema'] } } },
    })
    await host.callTool('add', {})
    await host.wireLedger.settled()
    expect(seen).toEqual(['tools/call'])
    expect(rules(host)).toEqual([])
  })

  test('tools listed by the test first: the output is checked as it arrives, nothing listed again', async () => {
    const seen: string[] = []
    await using host = await HostManager.start({ servers: { bad: badOutputServer(seen) } })
    await host.listTools()
    await host.callTool('add', {}).catch(() => {})
    expect(rules(host)).toEqual(['tool.output-schema'])
    expect(seen).toEqual(['tools/list', 'tools/call'])
  })

  test('the owner is charged at teardown with a ProtocolViolationError naming rule, method and server', async () => {
    const host = await HostManager.start({ servers: { bad: badOutputServer() } })
    await callAndCatch(host)
    const { problems } = await closeAndJudge(host, 'test "t"', { timeoutMs: 5000 })
    expect(problems).toHaveLength(1)
    const [error] = problems
    expect(error).toBeInstanceOf(ProtocolViolationError)
    expect(error?.message).toContain('server "bad" broke tool.output-schema in tools/call')
    expect(isListedOnly(error as Error)).toBe(false)
    // Taken: a second judgement does not charge them again.
    expect(host.wireLedger.list()).toEqual([])
  })

  test("wire: 'warn' on the host lists; a server's own wire overrides the host's; ignore skips a rule", async () => {
    const start = async (config: Omit<HostConfig, 'servers'>, server: Partial<ServerConfig> = {}) => {
      const host = await HostManager.start({
        ...config,
        servers: { bad: { ...badOutputServer(), ...server } as ServerConfig },
      })
      await callAndCatch(host)
      return host
    }
    await using warn = await start({ wire: 'warn' })
    expect(warn.wireLedger.list().map((r) => [r.violation.rule, r.listed])).toEqual([
      ['tool.output-schema', true],
    ])
    await using serverOff = await start({ wire: 'error' }, { wire: 'off' })
    expect(rules(serverOff)).toEqual([])
    await using hostOff = await start({ wire: 'off' })
    expect(rules(hostOff)).toEqual([])
    await using serverError = await start({ wire: 'off' }, { wire: 'error' })
    expect(rules(serverError)).toEqual(['tool.output-schema'])
    await using ignored = await start({}, { wire: { ignore: ['tool.output-schema'] } })
    expect(rules(ignored)).toEqual([])
    const { problems } = await closeAndJudge(warn, 'test "t"', { timeoutMs: 5000 })
    expect(problems.map((p) => [p.name, isListedOnly(p)])).toEqual([['ProtocolViolationError', true]])
  })

  test('a bad wire setting is a ConfigError at its path', async () => {
    const issuesOf = async (config: HostConfig) => {
      const error = await HostManager.start(config).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConfigError)
      return (error as ConfigError).issues.map((i) => [i.path, i.message])
    }
    expect(await issuesOf({ wire: 'loud' as never, servers: { bad: badOutputServer() } })).toEqual([
      ['wire', `expected 'error', 'warn' or 'off', got "loud"`],
    ])
    const ignore = { ...badOutputServer(), wire: { ignore: ['no.such-rule'] } }
    expect(await issuesOf({ servers: { bad: ignore } })).toEqual([
      [
        'servers.bad.wire.ignore.0',
        expect.stringMatching(/^unknown rule id "no.such-rule" \(rules: jsonrpc.message, /),
      ],
    ])
  })
})

describe('what no message shows', () => {
  test('stdio: a non-JSON line on stdout is a violation, not a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      await using host = await HostManager.start({ servers: { noisy: misbehavingServer('noisy-stdout') } })
      // The line follows notifications/initialized (2025-11-25) or the server/discover answer
      // (2026-07-28): a round trip after it has seen it arrive.
      await host.listTools()
      await vi.waitFor(() => expect(rules(host)).toEqual(['stdio.non-json-line']), { timeout: 5000 })
      expect(host.wireLedger.list()[0]?.violation).toMatchObject({ direction: 'server', server: 'noisy' })
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  test('stdio: a line that is JSON but no JSON-RPC message is jsonrpc.message, with its own text', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      await using host = await HostManager.start({ servers: { bad: badStdio } })
      // Written before the call's answer, on the same pipe: seen once the call resolved.
      await host.callTool('json_noise', {})
      expect(host.wireLedger.list().map((r) => r.violation)).toEqual([
        expect.objectContaining({
          rule: 'jsonrpc.message',
          direction: 'server',
          server: 'bad',
          message:
            'the server wrote a line to stdout that is JSON but not a JSON-RPC message (it was dropped)',
          excerpt: JSON.stringify('{"debug":"computing the sum"}'),
        }),
      ])
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  test("stdio with wire 'off': the warning of before", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      await using host = await HostManager.start({
        servers: { noisy: { ...misbehavingServer('noisy-stdout'), wire: 'off' } },
      })
      await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(1), { timeout: 5000 })
      expect(String(warn.mock.calls[0]?.[0])).toContain('wrote a line to stdout that is not JSON')
      expect(rules(host)).toEqual([])
    } finally {
      warn.mockRestore()
    }
  })

  test("a host handler's malformed answer is the host's violation, not the server's", async () => {
    const servers = fileURLToPath(new URL('../support/worker-servers/servers.mjs', import.meta.url))
    const asking: ServerConfig = { transport: 'memory', server: (await import(servers)).asking }
    await using host = await HostManager.start({
      servers: { asking },
      // Not an ElicitResult: `action` is none of accept, decline, cancel.
      client: { elicitation: () => ({ action: 'maybe' }) as never },
    })
    const result = await host.callTool('elicit', {})
    expect(result.isError).toBe(true)
    expect(host.wireLedger.list().map((r) => r.violation)).toEqual([
      expect.objectContaining({
        rule: 'schema.result',
        direction: 'host',
        server: 'asking',
        method: 'elicitation/create',
        path: 'result.action',
      }),
    ])
  })
})
