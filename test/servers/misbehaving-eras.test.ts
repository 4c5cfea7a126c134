// The misbehaving servers that speak one revision: 'modern-only', 'legacy-only', 'exit-on-discover'.
// On the wire (raw JSON lines over stdio), with a raw v2 client on both revisions, and with the host.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { SdkError, SdkErrorCode, UnsupportedProtocolVersionError } from '@modelcontextprotocol/client'
import { describe, expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { bundlePath, type MisbehaviourKind, misbehavingServer } from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'
import { overStdio, REVISIONS, textOf, v2Client } from './v2-clients.js'

const SPAWNED = { timeout: 30_000 }
const [LEGACY, MODERN] = REVISIONS as [(typeof REVISIONS)[0], (typeof REVISIONS)[0]]
const args = (kind: MisbehaviourKind) => [bundlePath('misbehaving'), kind]

const DISCOVER = {
  jsonrpc: '2.0',
  id: 1,
  method: 'server/discover',
  params: {
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
}
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 2,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
}

/** The kind over raw stdio: `ask` writes a line and resolves with the next one the server writes. */
function raw(kind: MisbehaviourKind) {
  const child: ChildProcess = spawn(process.execPath, args(kind), { stdio: 'pipe' })
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]()
  const line = async (): Promise<string> => {
    const next = await lines.next()
    if (next.done) throw new Error(`stdout ended; stderr: ${stderr}`)
    return next.value
  }
  return {
    line,
    async ask(message: object): Promise<Record<string, unknown>> {
      child.stdin?.write(`${JSON.stringify(message)}\n`)
      return JSON.parse(await line()) as Record<string, unknown>
    },
    async exit(): Promise<{ code: number | null; stderr: string }> {
      const [code] = await closed
      return { code, stderr }
    },
    async end(): Promise<number | null> {
      child.stdin?.end()
      return (await closed)[0]
    },
  }
}

describe("'modern-only'", () => {
  test(
    'on the wire: initialize gets -32022 naming 2026-07-28; server/discover offers it',
    SPAWNED,
    async () => {
      const server = raw('modern-only')
      const rejected = await server.ask(INITIALIZE)
      expect(rejected).toMatchObject({ id: 2, error: { code: -32022, data: { supported: ['2026-07-28'] } } })
      const discovered = await server.ask(DISCOVER)
      expect(discovered).toMatchObject({ id: 1, result: { supportedVersions: ['2026-07-28'] } })
      expect(await server.end()).toBe(0)
    },
  )

  test(
    'a v2 client on 2026-07-28 uses it; on 2025-11-25 it is refused with the revisions it offers',
    SPAWNED,
    async () => {
      const modern = await overStdio(args('modern-only'), v2Client(MODERN))
      try {
        expect(modern.client.getProtocolEra()).toBe('modern')
        const result = await modern.client.callTool({
          name: 'weather_lookup',
          arguments: { location: 'Tokyo' },
        })
        expect(textOf(result)).toBe('Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%')
      } finally {
        await modern.close()
      }
      const error = await rejectionOf(overStdio(args('modern-only'), v2Client(LEGACY)))
      expect(error).toBeInstanceOf(UnsupportedProtocolVersionError)
      expect(error).toMatchObject({ code: -32022, data: { supported: ['2026-07-28'] } })
    },
  )
})

describe("'legacy-only'", () => {
  test(
    'on the wire: server/discover gets -32601, then initialize is answered with 2025-11-25',
    SPAWNED,
    async () => {
      const server = raw('legacy-only')
      expect(await server.ask(DISCOVER)).toMatchObject({ id: 1, error: { code: -32601 } })
      expect(await server.ask(INITIALIZE)).toMatchObject({
        id: 2,
        result: { protocolVersion: '2025-11-25', serverInfo: { name: 'misbehaving-legacy-only' } },
      })
      expect(await server.end()).toBe(0)
    },
  )

  test('a v2 client on 2025-11-25 uses it; pinned to 2026-07-28 the negotiation fails', SPAWNED, async () => {
    const legacy = await overStdio(args('legacy-only'), v2Client(LEGACY))
    try {
      expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25')
      const result = await legacy.client.callTool({
        name: 'weather_lookup',
        arguments: { location: 'London' },
      })
      expect(textOf(result)).toContain('Rainy')
    } finally {
      await legacy.close()
    }
    const error = await rejectionOf(overStdio(args('legacy-only'), v2Client(MODERN)))
    expect(error).toBeInstanceOf(SdkError)
    expect((error as SdkError).code).toBe(SdkErrorCode.EraNegotiationFailed)
  })
})

describe("'exit-on-discover'", () => {
  test('exits with code 1 and says why when the first message is server/discover', SPAWNED, async () => {
    const server = raw('exit-on-discover')
    await expect(server.ask(DISCOVER)).rejects.toThrow(/stdout ended/)
    expect(await server.exit()).toEqual({
      code: 1,
      stderr:
        'exit-on-discover: first message was "server/discover", not "initialize"; exiting (deliberate)\n',
    })
  })

  test('serves 2025-11-25 when initialize comes first (a v2 client on legacy)', SPAWNED, async () => {
    const legacy = await overStdio(args('exit-on-discover'), v2Client(LEGACY))
    try {
      expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25')
      const result = await legacy.client.callTool({ name: 'weather_lookup', arguments: { location: 'Oslo' } })
      expect(textOf(result)).toContain('Clear')
    } finally {
      await legacy.close()
    }
  })
})

describe("'noisy-stdout' on 2026-07-28 (no initialized notification there)", () => {
  test('its non-JSON line follows the server/discover answer', SPAWNED, async () => {
    const modern = raw('noisy-stdout')
    expect(await modern.ask(DISCOVER)).toMatchObject({ id: 1, result: { supportedVersions: ['2026-07-28'] } })
    expect(await modern.line()).toBe('debug: hello from noisy-stdout')
    expect(await modern.end()).toBe(0)
  })
})

describe('through the host (2025-11-25)', () => {
  test.for(['legacy-only', 'exit-on-discover'] as const)("'%s' starts and answers", SPAWNED, async (kind) => {
    const host = await HostManager.start({ servers: { one: misbehavingServer(kind) } })
    try {
      expect(textOf(await host.callTool('weather_lookup', { location: 'Tokyo' }))).toContain('Sunny')
    } finally {
      await host.shutdown()
    }
    expect(host.server('one').state).toBe('exited')
  })
})
