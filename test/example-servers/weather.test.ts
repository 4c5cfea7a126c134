// The bundled weather server, spoken to by the real SDK client over stdio, over Streamable HTTP
// (weather-http.mjs) and once in process.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { bundlePath, weatherHttpServer, weatherServer } from '../../src/servers/index.js'

// Spawns the bundle (built by test/global-setup.ts), runs `body`, and always closes the client.
async function withWeatherClient(body: (client: Client) => Promise<void>): Promise<void> {
  const config = weatherServer()
  const client = new Client({ name: 'weather-test', version: '1.0.0' })
  await client.connect(new StdioClientTransport({ command: config.command, args: config.args ?? [] }))
  try {
    await body(client)
  } finally {
    await client.close()
  }
}

function textOf(result: unknown): string {
  const content = (result as CallToolResult).content
  expect(content).toHaveLength(1)
  const [first] = content
  if (first?.type !== 'text') throw new Error(`expected one text content, got ${JSON.stringify(content)}`)
  return first.text
}

describe('bundled weather server over stdio', () => {
  test('weather_lookup: every known city and an unknown one, metric and imperial', async () => {
    await withWeatherClient(async (client) => {
      const cases = [
        ['San Francisco', 'Temp 18°C, Foggy, Humidity 85%', 'Temp 64°F, Foggy, Humidity 85%'],
        ['New York', 'Temp 22°C, Partly Cloudy, Humidity 60%', 'Temp 72°F, Partly Cloudy, Humidity 60%'],
        ['London', 'Temp 15°C, Rainy, Humidity 90%', 'Temp 59°F, Rainy, Humidity 90%'],
        ['Tokyo', 'Temp 25°C, Sunny, Humidity 50%', 'Temp 77°F, Sunny, Humidity 50%'],
        ['Atlantis', 'Temp 20°C, Clear, Humidity 65%', 'Temp 68°F, Clear, Humidity 65%'],
      ] as const
      for (const [location, metric, imperial] of cases) {
        const byDefault = await client.callTool({ name: 'weather_lookup', arguments: { location } })
        expect(textOf(byDefault)).toBe(`Weather for ${location}: ${metric}`)
        const explicit = await client.callTool({
          name: 'weather_lookup',
          arguments: { location, units: 'metric' },
        })
        expect(textOf(explicit)).toBe(`Weather for ${location}: ${metric}`)
        const inF = await client.callTool({
          name: 'weather_lookup',
          arguments: { location, units: 'imperial' },
        })
        expect(textOf(inF)).toBe(`Weather for ${location}: ${imperial}`)
      }
    })
  })

  test('weather_lookup matches city names case-insensitively but prints them as given', async () => {
    await withWeatherClient(async (client) => {
      const result = await client.callTool({ name: 'weather_lookup', arguments: { location: 'lONDON' } })
      expect(textOf(result)).toBe('Weather for lONDON: Temp 15°C, Rainy, Humidity 90%')
    })
  })

  test('lists its two tools', async () => {
    await withWeatherClient(async (client) => {
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name).sort()).toEqual(['current_time', 'weather_lookup'])
    })
  })

  test('current_time: a known zone in the documented format, an unknown zone as a tool error', async () => {
    await withWeatherClient(async (client) => {
      const london = await client.callTool({ name: 'current_time', arguments: { timezone: 'Europe/London' } })
      expect(london.isError).toBeFalsy()
      // GMT in winter; British Summer Time is "GMT+1" in the en-US short form.
      expect(textOf(london)).toMatch(
        /^Current time in Europe\/London: \d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d GMT(\+1)?$/,
      )

      const mars = await client.callTool({
        name: 'current_time',
        arguments: { timezone: 'Mars/Olympus_Mons' },
      })
      expect(mars.isError).toBe(true)
      expect(textOf(mars)).toBe('Unknown time zone: Mars/Olympus_Mons')
    })
  })

  test('prompt weather_assistant: a user message using the arguments', async () => {
    await withWeatherClient(async (client) => {
      const { prompts } = await client.listPrompts()
      expect(prompts.map((prompt) => prompt.name)).toEqual(['weather_assistant'])
      expect(prompts[0]?.arguments?.map((arg) => [arg.name, arg.required])).toEqual([
        ['user_name', false],
        ['preferred_units', false],
      ])

      const { messages } = await client.getPrompt({
        name: 'weather_assistant',
        arguments: { user_name: 'Ada', preferred_units: 'imperial' },
      })
      expect(messages).toHaveLength(1)
      expect(messages[0]?.role).toBe('user')
      expect(messages[0]?.content).toMatchObject({ type: 'text' })
      const text = messages[0]?.content.type === 'text' ? messages[0].content.text : ''
      expect(text).toContain('Ada')
      expect(text).toContain('imperial')

      const defaults = await client.getPrompt({ name: 'weather_assistant' })
      expect(defaults.messages[0]?.content).toMatchObject({
        type: 'text',
        text: expect.stringContaining('metric'),
      })
    })
  })

  test('resource weather://cities: a JSON list of the four known cities', async () => {
    await withWeatherClient(async (client) => {
      const { resources } = await client.listResources()
      expect(resources).toEqual([
        expect.objectContaining({ uri: 'weather://cities', mimeType: 'application/json' }),
      ])

      const { contents } = await client.readResource({ uri: 'weather://cities' })
      expect(contents).toHaveLength(1)
      expect(contents[0]).toMatchObject({ uri: 'weather://cities', mimeType: 'application/json' })
      const text = contents[0] && 'text' in contents[0] ? contents[0].text : ''
      expect(JSON.parse(text)).toEqual(['San Francisco', 'New York', 'London', 'Tokyo'])
    })
  })
})

describe('createWeatherServer in process', () => {
  test('serves weather_lookup over an in-memory pair', async () => {
    const server = createWeatherServer()
    const client = new Client({ name: 'weather-test', version: '1.0.0' })
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
    await server.connect(serverSide)
    await client.connect(clientSide)
    try {
      const result = await client.callTool({
        name: 'weather_lookup',
        arguments: { location: 'Tokyo', units: 'imperial' },
      })
      expect(textOf(result)).toBe('Weather for Tokyo: Temp 77°F, Sunny, Humidity 50%')
    } finally {
      await client.close()
      await server.close()
    }
  })
})

describe('bundled weather server over Streamable HTTP', () => {
  /** Spawns weather-http.mjs on a port of its choosing (PORT=0) and reads its URL from stderr. */
  async function spawnHttp(): Promise<{ child: ChildProcess; url: URL }> {
    const { command, args = [] } = weatherHttpServer()
    const child = spawn(command, args, { env: { ...process.env, PORT: '0' }, stdio: 'pipe' })
    let stderr = ''
    child.stderr?.setEncoding('utf8')
    const url = await new Promise<URL>((resolve, reject) => {
      child.stderr?.on('data', (chunk: string) => {
        stderr += chunk
        const match = /listening on (\S+)/.exec(stderr)
        if (match?.[1]) resolve(new URL(match[1]))
      })
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)))
    })
    return { child, url }
  }

  test('serves the same tools on 127.0.0.1 at /mcp; a terminated session is gone; SIGTERM exits 0', async () => {
    const { child, url } = await spawnHttp()
    const exited = once(child, 'exit')
    try {
      expect(url.hostname).toBe('127.0.0.1')
      expect(url.pathname).toBe('/mcp')
      const transport = new StreamableHTTPClientTransport(url)
      const client = new Client({ name: 'weather-test', version: '1.0.0' })
      await client.connect(transport)
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([
        'current_time',
        'weather_lookup',
      ])
      expect(
        textOf(await client.callTool({ name: 'weather_lookup', arguments: { location: 'London' } })),
      ).toBe('Weather for London: Temp 15°C, Rainy, Humidity 90%')
      const sessionId = transport.sessionId as string
      await transport.terminateSession()
      await client.close()
      const after = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
      expect(after.status).toBe(404)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toEqual([0, null])
  })

  test('exits (code 0) when its stdin ends: the host that spawned it went away', async () => {
    const { child } = await spawnHttp()
    const exited = once(child, 'exit')
    child.stdin?.end()
    expect(await exited).toEqual([0, null])
  })
})

describe('bundled misbehaving server, outside the SDK', () => {
  // Only what needs no MCP client; the harness tests the other kinds through its launcher.
  async function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const child: ChildProcess = spawn(process.execPath, [bundlePath('misbehaving'), ...args], {
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    // 'close' comes after 'exit' and after stderr has been read to its end.
    const [code] = (await once(child, 'close')) as [number | null]
    return { code, stderr }
  }

  test('exit-early exits with code 3 after one line on stderr', async () => {
    const { code, stderr } = await run(['exit-early'])
    expect(code).toBe(3)
    expect(stderr).toBe('exit-early: refusing to start (deliberate)\n')
  })

  test('an unknown kind exits with code 2 and says so', async () => {
    const { code, stderr } = await run(['sulk'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/^misbehaving: unknown kind "sulk"; usage: .*slow-start/)
  })
})
