// The http launcher against real servers on 127.0.0.1: the bundled weather server spawned on the
// port the host picks, a server this test runs in process reached by URL, and every start failure.
// After every test nothing it spawned runs.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServer as createTcpServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { afterEach, describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { closeAndJudge } from '../../src/fixtures/judge.js'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerExitError, ServerStartError } from '../../src/launchers/errors.js'
import { groupMembers } from '../../src/launchers/processes/process-table.js'
import { portPicker } from '../../src/launchers/transports/http/loopback-port.js'
import { pollUntil } from '../../src/launchers/util/wait.js'
import { formatHostSummary, summarizeHost } from '../../src/report/host-summary.js'
import { LeakError } from '../../src/scope/index.js'
import { bundlePath, weatherHttpServer } from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'
import { isDead, markEnv, markedPids, markedServers, waitForMarked } from './process-helpers.js'

const newMark = markedServers()

function textOf(result: unknown): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>
  return first?.type === 'text' ? (first.text ?? '') : ''
}

async function startOne(name: string, config: ServerConfig) {
  return HostManager.start({ servers: { [name]: config } })
}

function expectAllGone(pid: number | undefined, mark: string): void {
  if (pid !== undefined) {
    expect(groupMembers(pid)).toEqual([])
    expect(isDead(pid)).toBe(true)
  }
  expect(markedPids(mark)).toEqual([])
}

/** A port on 127.0.0.1 nothing listens on (free a moment ago). */
/** The bundled weather-http server, run after `prelude` (module code) in the same process, marked. */
function weatherHttpAfter(prelude: string, mark: string): ServerConfig {
  const bundle = JSON.stringify(`file://${bundlePath('weather-http')}`)
  return {
    transport: 'http',
    command: process.execPath,
    args: ['--input-type=module', '-e', `${prelude}; await import(${bundle})`],
    env: markEnv(mark),
  }
}

async function unusedPort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface InProcessServer {
  readonly url: string
  readonly http: Server
  /** `METHOD session?` of every request, in order. */
  readonly seen: string[]
  readonly headers: IncomingMessage['headers'][]
  close(): Promise<void>
}

/** A stateful Streamable HTTP weather server in this process (plus a tool `never` that never answers). */
async function inProcessServer(): Promise<InProcessServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>()
  const seen: string[] = []
  const headers: IncomingMessage['headers'][] = []
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const sessionId = req.headers['mcp-session-id']
    seen.push(`${req.method}${typeof sessionId === 'string' ? ' session' : ''}`)
    headers.push(req.headers)
    if (typeof sessionId === 'string') {
      const known = sessions.get(sessionId)
      if (known) return known.handleRequest(req, res)
      res.writeHead(404).end()
      return
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
      onsessionclosed: (id) => void sessions.delete(id),
    })
    const server = createWeatherServer()
    server.registerTool('never', { description: 'never answers' }, () => new Promise<never>(() => {}))
    await server.connect(transport)
    await transport.handleRequest(req, res)
  }
  const http = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    http,
    seen,
    headers,
    close: async () => {
      for (const transport of sessions.values()) await transport.close()
      http.closeAllConnections()
      await new Promise((resolve) => http.close(resolve))
    },
  }
}

describe('spawned: the bundled weather server over Streamable HTTP', () => {
  test.for([
    { protocol: '2025-11-25', session: true },
    { protocol: '2026-07-28', session: false },
  ] as const)(
    'serves the weather tools, prompt and resource on $protocol; shutdown leaves nothing (session ended: $session)',
    async ({ protocol, session }) => {
      const mark = newMark('http-weather')
      const host = await startOne('weather', { ...weatherHttpServer({ env: markEnv(mark) }), protocol })
      const handle = host.server('weather')
      const pid = handle.pid
      expect(pid).toBeGreaterThan(0)
      expect(handle.transport).toBe('http')
      expect(await waitForMarked(mark)).toBe(pid)

      expect(textOf(await host.callTool('weather_lookup', { location: 'London' }))).toBe(
        'Weather for London: Temp 15°C, Rainy, Humidity 90%',
      )
      expect((await host.listTools()).map((t) => t.name).sort()).toEqual(['current_time', 'weather_lookup'])
      const prompt = await host.getPrompt('weather_assistant', { user_name: 'Ada' })
      expect(JSON.stringify(prompt.messages)).toContain('Ada')
      const cities = await host.readResource('weather://cities')
      expect(JSON.stringify(cities.contents)).toContain('Tokyo')
      // Its stderr is drained into the tail: the bundle says where it listens, on the port the host chose.
      expect(handle.stderr()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/mcp/)

      await host.shutdown()
      expect(handle.state).toBe('exited')
      const events = host.entries[0]?.timeline.events.map((e) => e.event) ?? []
      expect(handle.era).toBe(protocol)
      // 2026-07-28 has no session: nothing to DELETE.
      if (session) expect(events).toContain('session-terminated')
      else expect(events.filter((e) => e.startsWith('session'))).toEqual([])
      // An HTTP server does not read stdin: SIGTERM is its ordinary stop.
      expect(events).not.toContain('stdin-close')
      expect(events.filter((e) => e === 'SIGTERM')).toHaveLength(1)
      expect(summarizeHost(host, 'host', 0, []).servers[0]?.stopSignal).toBeUndefined()
      expectAllGone(pid, mark)
    },
  )

  test('a server that never reads stdin stops at SIGTERM, without the stdin grace (graceMs unused)', async () => {
    const mark = newMark('http-no-stdin-wait')
    // Like real HTTP servers: stdin is never read, SIGTERM ends it.
    const bundle = JSON.stringify(`file://${bundlePath('weather-http')}`)
    const ignoreStdin =
      "for (const e of ['end', 'close']) process.stdin.removeAllListeners(e); process.stdin.pause()"
    const host = await startOne('web', {
      transport: 'http',
      command: process.execPath,
      args: ['--input-type=module', '-e', `await import(${bundle}); ${ignoreStdin}`],
      env: markEnv(mark),
      shutdown: { graceMs: 20_000, termMs: 20_000 },
    })
    const { pid } = host.server('web')
    const started = performance.now()
    await host.shutdown()
    // The stdin grace alone would take 20 s.
    expect(performance.now() - started).toBeLessThan(5_000)
    const events = host.entries[0]?.timeline.events.map((e) => e.event) ?? []
    expect(events).not.toContain('stdin-close')
    expect(events).not.toContain('SIGKILL')
    expect(host.entries[0]?.stopReport?.signals).toEqual([])
    expect(host.server('web').signal).toBe(undefined)
    expectAllGone(pid, mark)
  })

  test('a server that ignores SIGTERM is killed after termMs, and that is what its summary says', async () => {
    const mark = newMark('http-ignore-sigterm')
    const bundle = JSON.stringify(`file://${bundlePath('weather-http')}`)
    // After the bundle: its own SIGTERM handler is replaced by one that does nothing.
    const ignore = "process.removeAllListeners('SIGTERM'); process.on('SIGTERM', () => {})"
    const host = await startOne('web', {
      transport: 'http',
      command: process.execPath,
      args: ['--input-type=module', '-e', `await import(${bundle}); ${ignore}`],
      env: markEnv(mark),
      shutdown: { graceMs: 20_000, termMs: 100 },
    })
    const { pid } = host.server('web')
    await host.shutdown()
    expect(host.entries[0]?.stopReport?.signals).toEqual(['SIGKILL'])
    const summary = summarizeHost(host, 'host', 0, [])
    expect(summary.servers[0]?.stopSignal).toBe('SIGKILL')
    expect(formatHostSummary(summary)).toContain('did not exit on SIGTERM; SIGKILL stopped it')
    expectAllGone(pid, mark)
  })

  test('portEnv, ${port} in args and env, HOST=127.0.0.1; server(name).url is where it listens', async () => {
    const mark = newMark('http-port-options')
    // A server that takes its port as an argument, checks what else it was given, then serves.
    const script = `const i = process.argv.indexOf('--port')
const port = process.argv[i + 1]
if (process.env.MCP_PORT !== port || process.env.ALSO !== 'at ' + port + '!' || process.env.HOST !== '127.0.0.1' || 'PORT' in process.env) {
  console.error('unexpected: ' + JSON.stringify({ argv: process.argv.slice(1), MCP_PORT: process.env.MCP_PORT, ALSO: process.env.ALSO, HOST: process.env.HOST, PORT: process.env.PORT }))
  process.exit(2)
}
process.env.PORT = port
import(require('node:url').pathToFileURL(process.env.BUNDLE).href)`
    const host = await startOne('web', {
      transport: 'http',
      command: process.execPath,
      args: ['-e', script, '--', '--port', '${port}'],
      portEnv: 'MCP_PORT',
      env: { ...markEnv(mark), ALSO: 'at ${port}!', BUNDLE: bundlePath('weather-http') },
    })
    const handle = host.server('web')
    try {
      expect(textOf(await host.callTool('weather_lookup', { location: 'Tokyo' }))).toContain('Sunny')
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
      expect(handle.stderr()).toContain(`listening on ${handle.url}`)
    } finally {
      await host.shutdown()
    }
    expectAllGone(handle.pid, mark)
  })

  test('every port picked answered by another process: a ServerStartError after 5 tries, nothing left', async () => {
    const foreign = await inProcessServer()
    const taken = Number(new URL(foreign.url).port)
    const mark = newMark('http-port-always-taken')
    const pick = portPicker.next
    portPicker.next = () => Promise.resolve(taken)
    try {
      const error = await rejectionOf(startOne('web', weatherHttpServer({ env: markEnv(mark) })))
      expect(error).toBeInstanceOf(ServerStartError)
      // Its own server exited finding the port taken (EADDRINUSE), or still ran when the other answered.
      expect((error as Error).message).toMatch(
        /^Server "web" (exited with code 1 before answering initialize|failed during initialize: another process listens on 127\.0\.0\.1:\d+)/,
      )
      expect((error as Error).message).not.toContain('undefined')
      expect(markedPids(mark)).toEqual([])
    } finally {
      portPicker.next = pick
      await foreign.close()
    }
  })

  test('a port another process listens on: the host does not take that server for its own, and starts its own on another port', async () => {
    // The race of issue 27, made certain: the port picked for the server is already served by
    // another MCP server (here one in this process, with a tool "never" the weather server lacks).
    const foreign = await inProcessServer()
    const taken = Number(new URL(foreign.url).port)
    const mark = newMark('http-port-foreign')
    const pick = portPicker.next
    let picks = 0
    portPicker.next = () => (picks++ === 0 ? Promise.resolve(taken) : pick())
    try {
      const host = await startOne('web', weatherHttpServer({ env: markEnv(mark) }))
      const handle = host.server('web')
      try {
        expect((await host.listTools()).map((t) => t.name).sort()).toEqual(['current_time', 'weather_lookup'])
        expect(picks).toBe(2)
        const events = host.entries[0]?.timeline.events ?? []
        const taking = events.filter((e) => e.event === 'port-taken')
        expect(taking).toHaveLength(1)
        expect(taking[0]?.detail).toMatch(/attempt 1: (another process|.*EADDRINUSE)/)
        // The handle names a live process of ours, listening where the host talks to it.
        expect(isDead(handle.pid as number)).toBe(false)
        expect(handle.url).not.toBe(foreign.url)
        expect(Number(new URL(handle.url as string).port)).not.toBe(taken)
        if (process.platform === 'linux') {
          const environ = readFileSync(`/proc/${handle.pid}/environ`, 'utf8').split('\0')
          expect(environ).toContain(`PORT=${new URL(handle.url as string).port}`)
        }
        // Nothing of ours is left on the other server: a session opened there by mistake was ended.
        if (foreign.seen.includes('POST')) expect(foreign.seen).toContain('DELETE session')
      } finally {
        await host.shutdown()
      }
      expectAllGone(handle.pid, mark)
    } finally {
      portPicker.next = pick
      await foreign.close()
    }
  })

  test('stdout is not the protocol: its lines land in the stderr tail, marked, and nothing warns', async () => {
    const mark = newMark('http-stdout')
    const host = await startOne('weather', weatherHttpAfter("console.log('hello from stdout')", mark))
    const handle = host.server('weather')
    expect(textOf(await host.callTool('weather_lookup', { location: 'Tokyo' }))).toContain('Sunny')
    expect(handle.stderr()).toContain('[stdout] hello from stdout')
    expect(host.entries[0]?.noise.count ?? 0).toBe(0)
    await host.shutdown()
    expectAllGone(handle.pid, mark)
  })

  test('stdout kept is bounded, whatever the server writes (a 4 MB line, 20k lines)', async () => {
    const mark = newMark('http-flood')
    const flood =
      "process.stdout.write('x'.repeat(4e6) + '\\n'); for (let i = 0; i < 2e4; i++) console.log('line ' + i)"
    const host = await startOne('weather', weatherHttpAfter(flood, mark))
    const handle = host.server('weather')
    expect(textOf(await host.callTool('weather_lookup', { location: 'Tokyo' }))).toContain('Sunny')
    // The last lines are there once the pipe has delivered them; the tail never grows past its bound.
    await pollUntil(() => handle.stderr().includes('[stdout] line 19999'), 5000)
    expect(handle.stderr()).toContain('[stdout] line 19999')
    expect(handle.stderr().length).toBeLessThan(17 * 1024)
    await host.shutdown()
    expectAllGone(handle.pid, mark)
  })

  test('a server that exits before listening is a ServerStartError with its exit code and stderr tail', async () => {
    const mark = newMark('http-exit')
    const error = await rejectionOf(
      startOne('early', {
        transport: 'http',
        command: process.execPath,
        args: [
          '-e',
          "process.stderr.write('no config for port ' + process.env.PORT + '\\n'); process.exit(3)",
        ],
        env: markEnv(mark),
        path: '/v1/mcp',
      }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    const start = error as ServerStartError
    expect(start.reason).toBe('exit')
    expect(start.exitCode).toBe(3)
    expect(start.stderrTail).toMatch(/^no config for port \d+$/)
    expect(start.message).toMatch(
      /^Server "early" exited with code 3 before answering initialize\.\n {2}command: /,
    )
    // The port it was given, and the path of its config.
    const port = /port (\d+)/.exec(start.stderrTail)?.[1]
    expect(start.message).toContain(`\n  url: http://127.0.0.1:${port}/v1/mcp\n`)
    expect(markedPids(mark)).toEqual([])
  })

  test('a server whose port was taken before it bound it (EADDRINUSE) is started again on another port', async () => {
    const mark = newMark('http-port-taken')
    const flag = path.join(mkdtempSync(path.join(tmpdir(), 'http-port-taken-')), 'first')
    // The first spawn finds its port taken, as when another process binds it between our check and its bind.
    const script = `const fs = require('node:fs')
if (!fs.existsSync(process.env.FLAG)) {
  fs.writeFileSync(process.env.FLAG, process.env.PORT)
  console.error('Error: listen EADDRINUSE: address already in use 127.0.0.1:' + process.env.PORT)
  process.exit(1)
}
import(require('node:url').pathToFileURL(process.env.BUNDLE).href)`
    const host = await startOne('web', {
      transport: 'http',
      command: process.execPath,
      args: ['-e', script],
      env: { ...markEnv(mark), FLAG: flag, BUNDLE: bundlePath('weather-http') },
    })
    try {
      expect(textOf(await host.callTool('weather_lookup', { location: 'Tokyo' }))).toContain('Sunny')
      const events = host.entries[0]?.timeline.events.map((e) => e.event)
      expect(events?.filter((e) => e === 'port-taken')).toHaveLength(1)
      expect(events?.filter((e) => e === 'spawn')).toHaveLength(2)
      // Not the port the first spawn was given (Linux: the running server's environment says).
      const first = readFileSync(flag, 'utf8')
      expect(first).toMatch(/^\d+$/)
      const pid = host.server('web').pid as number
      if (process.platform === 'linux') {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
        expect(environ.find((v) => v.startsWith('PORT='))).not.toBe(`PORT=${first}`)
      }
    } finally {
      await host.shutdown()
    }
    expect(markedPids(mark)).toEqual([])
  })

  test('its last stdout words without a newline are kept too', async () => {
    const mark = newMark('http-last-words')
    const error = await rejectionOf(
      startOne('early', {
        transport: 'http',
        command: process.execPath,
        args: ['-e', "process.stdout.write('listening nowhere, bye'); process.exitCode = 4"],
        env: markEnv(mark),
      }),
    )
    expect((error as ServerStartError).exitCode).toBe(4)
    expect((error as ServerStartError).stderrTail).toBe('[stdout] listening nowhere, bye')
    expect(markedPids(mark)).toEqual([])
  })

  test('a server that never listens is stopped at startupTimeout: ServerStartError, nothing left', async () => {
    const mark = newMark('http-never')
    const started = performance.now()
    const error = await rejectionOf(
      startOne('deaf', {
        transport: 'http',
        command: process.execPath,
        args: ['-e', 'process.stdin.resume(); setInterval(() => {}, 1000)'],
        env: markEnv(mark),
        startupTimeout: 300,
        shutdown: { graceMs: 50, termMs: 50 },
      }),
    )
    const ms = performance.now() - started
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as ServerStartError).reason).toBe('timeout')
    expect((error as Error).message).toContain(
      'did not answer initialize within 300 ms (startupTimeout); it was stopped (nothing listened at its url: connect ECONNREFUSED 127.0.0.1:',
    )
    // startupTimeout, then stdin close (it ignores it), 50 ms, SIGTERM: well under a second more
    // (bounded with slack: the whole suite runs beside it, nested Vitest runs included).
    expect(ms).toBeGreaterThanOrEqual(290)
    expect(ms).toBeLessThan(3000)
    expect(markedPids(mark)).toEqual([])
  })

  test('a server that listens but never answers initialize: a timeout, not "nothing listened"', async () => {
    const mark = newMark('http-mute')
    const error = await rejectionOf(
      startOne('mute', {
        transport: 'http',
        command: process.execPath,
        // Accepts connections and reads requests, answers none.
        args: ['-e', "require('node:http').createServer(() => {}).listen(+process.env.PORT, '127.0.0.1')"],
        env: markEnv(mark),
        startupTimeout: 1000,
        shutdown: { graceMs: 50, termMs: 50 },
      }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as ServerStartError).reason).toBe('timeout')
    expect((error as Error).message).toContain('did not answer initialize within 1000 ms (startupTimeout)')
    expect((error as Error).message).not.toContain('nothing listened')
    expect(markedPids(mark)).toEqual([])
  })

  test('a server killed while in use: its handle says crashed, a call is a ServerExitError', async () => {
    const mark = newMark('http-crash')
    const host = await startOne('weather', weatherHttpServer({ env: markEnv(mark) }))
    const handle = host.server('weather')
    process.kill(handle.pid as number, 'SIGKILL')
    expect(await pollUntil(() => handle.state === 'crashed', 2000)).toBe(true)
    const error = await rejectionOf(host.callTool('weather_lookup', { location: 'London' }))
    expect(error).toBeInstanceOf(ServerExitError)
    expect(handle.signal).toBe('SIGKILL')
    await host.shutdown()
    expectAllGone(handle.pid, mark)
  })
})

test('a spawned server killed during a call: the pending call rejects at once with ServerExitError', async () => {
  const mark = newMark('http-crash-pending')
  const hangServer = fileURLToPath(new URL('../support/hang-http-server.mjs', import.meta.url))
  const host = await startOne('hang', {
    transport: 'http',
    command: process.execPath,
    args: [hangServer],
    env: markEnv(mark),
  })
  const handle = host.server('hang')
  const pending = rejectionOf(host.callTool('hang', {}, { timeout: 30_000 }))
  await pollUntil(() => host.pendingRequests.length === 1, 1000)
  const killed = performance.now()
  process.kill(handle.pid as number, 'SIGKILL')
  const error = await pending
  expect(performance.now() - killed).toBeLessThan(1000)
  expect(error).toBeInstanceOf(ServerExitError)
  expect((error as Error).message).toMatch(
    /^Server "hang" was killed by SIGKILL while in use \(during tools\/call hang\)/,
  )
  await host.shutdown()
  expectAllGone(handle.pid, mark)
})

describe('by URL: a server the host does not own', () => {
  let server: InProcessServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  test('connects with its headers; shutdown terminates the session (DELETE) and leaves the server running', async () => {
    server = await inProcessServer()
    const host = await startOne('remote', {
      transport: 'http',
      url: server.url,
      headers: { authorization: 'Bearer t0ken' },
    })
    const handle = host.server('remote')
    expect(handle.pid).toBeUndefined()
    expect(textOf(await host.callTool('weather_lookup', { location: 'New York', units: 'imperial' }))).toBe(
      'Weather for New York: Temp 72°F, Partly Cloudy, Humidity 60%',
    )
    expect(server.headers.every((h) => h.authorization === 'Bearer t0ken')).toBe(true)
    await host.shutdown()
    expect(server.seen[0]).toBe('POST')
    expect(server.seen.at(-1)).toBe('DELETE session')
    expect(host.entries[0]?.timeline.events.map((e) => e.event)).toContain('session-terminated')
    expect(server.http.listening).toBe(true)
    // And it still serves others.
    await using again = await startOne('remote', { transport: 'http', url: server.url })
    expect((await again.listTools()).map((t) => t.name)).toContain('never')
  })

  test('an un-awaited request over HTTP is a LeakError when the host is judged', async () => {
    server = await inProcessServer()
    const host = await startOne('remote', { transport: 'http', url: server.url })
    void host.callTool('never', {})
    expect(host.pendingRequests.map((r) => r.label)).toEqual(['tools/call never'])
    const {
      problems: [leak],
    } = await closeAndJudge(host, 'test "http leak"', { timeoutMs: 5000 })
    expect(leak).toBeInstanceOf(LeakError)
    expect((leak as LeakError).leaks).toEqual([
      expect.objectContaining({ kind: 'request', label: 'tools/call never' }),
    ])
    expect(server.seen.at(-1)).toBe('DELETE session')
  })

  test("a server by URL that stops answering mid-use: the call is a ServerExitError naming the URL and why, not fetch's raw TypeError", async () => {
    server = await inProcessServer()
    const { url } = server
    const host = await startOne('remote', { transport: 'http', url })
    await server.close()
    server = undefined
    const error = await rejectionOf(host.callTool('weather_lookup', { location: 'London' }))
    expect(error).toBeInstanceOf(ServerExitError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Server "remote" at ${url.replace(/[.?]/g, '\\$&')} stopped answering \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\) while in use \\(during tools/call weather_lookup\\)\\.$`,
      ),
    )
    expect((error as ServerExitError).exitCode).toBeUndefined()
    await host.shutdown()
  })

  test('a session that cannot be terminated is on the timeline, and shutdown still ends', async () => {
    server = await inProcessServer()
    const host = await startOne('remote', { transport: 'http', url: server.url })
    // The server goes away under the host: the DELETE finds nobody.
    await server.close()
    server = undefined
    await host.shutdown()
    const event = host.entries[0]?.timeline.events.find((e) => e.event === 'session-not-terminated')
    expect(event?.detail).toMatch(/ECONNREFUSED/)
    // The teardown report says so too.
    expect(summarizeHost(host, 'host', 0, []).servers[0]?.abnormal).toBe(
      'its HTTP session was not terminated (the server may keep it)',
    )
  })

  test('a URL nobody listens on is a ServerStartError within startupTimeout', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}/mcp`
    const started = performance.now()
    const error = await rejectionOf(startOne('nobody', { transport: 'http', url, startupTimeout: 250 }))
    const ms = performance.now() - started
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as ServerStartError).reason).toBe('unreachable')
    expect((error as Error).message).toBe(
      `Server "nobody" could not be reached within 250 ms (startupTimeout): connect ECONNREFUSED ${new URL(url).host}.\n  url: ${url}`,
    )
    expect(ms).toBeGreaterThanOrEqual(240)
    expect(ms).toBeLessThan(1000) // slack for a loaded machine; the retries stop at 250 ms
  })

  test('https to a plain HTTP server fails at once (TLS), not at startupTimeout', async () => {
    server = await inProcessServer()
    const url = server.url.replace('http:', 'https:')
    const started = performance.now()
    const error = await rejectionOf(startOne('tls', { transport: 'http', url, startupTimeout: 5000 }))
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as ServerStartError).reason).toBe('unreachable')
    expect((error as Error).message).toBe(
      `Server "tls" could not be reached: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER).\n  url: ${url}`,
    )
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('a path that is not an MCP endpoint fails at once, not at startupTimeout', async () => {
    const started = performance.now()
    const http404 = createServer((_req, res) => res.writeHead(404).end('no such path'))
    await new Promise<void>((resolve) => http404.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(http404.address() as AddressInfo).port}/mcp`
    try {
      const error = await rejectionOf(startOne('lost', { transport: 'http', url, startupTimeout: 5000 }))
      expect(error).toBeInstanceOf(ServerStartError)
      expect((error as ServerStartError).reason).toBe('protocol')
      expect((error as Error).message).toContain('HTTP 404: path "/mcp" not found at http://127.0.0.1:')
      expect(performance.now() - started).toBeLessThan(1000)
    } finally {
      http404.closeAllConnections()
      await new Promise((resolve) => http404.close(resolve))
    }
  })
})
