// The weather service built on SDK 1.x (`@modelcontextprotocol/sdk`): the v1-built twin of the bundled
// server (server.ts, SDK v2), kept so the repo's tests keep a real 1.x server in memory and over HTTP.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import {
  assistantText,
  CITIES_RESOURCE,
  CURRENT_TIME,
  timeText,
  unknownZoneText,
  WEATHER_ASSISTANT,
  WEATHER_LOOKUP,
  type WeatherLookupArgs,
  weatherText,
} from './data.js'

export { knownCities, timeText, type Units, type WeatherLookupArgs, weatherText } from './data.js'

/** Options for {@link createWeatherServer}; the misbehaving servers use them, plain users need none. */
export interface WeatherServerOptions {
  /** `serverInfo.name`; default `'weather'`. */
  name?: string
  /** Replaces the `weather_lookup` handler (e.g. to crash or hang on purpose). */
  lookup?: (args: WeatherLookupArgs) => CallToolResult | Promise<CallToolResult>
}

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] })

/**
 * A new, unconnected SDK 1.x `McpServer` serving the weather service: tools `weather_lookup` and
 * `current_time`, prompt `weather_assistant`, resource `weather://cities`. Connect it to any transport.
 *
 * @example
 * const server = createWeatherServer()
 * const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
 * await server.connect(serverSide)
 */
export function createWeatherServer(options: WeatherServerOptions = {}): McpServer {
  const server = new McpServer({ name: options.name ?? 'weather', version: '1.0.0' })
  const lookup = options.lookup ?? ((args: WeatherLookupArgs) => text(weatherText(args.location, args.units)))

  server.registerTool('weather_lookup', WEATHER_LOOKUP, (args) => lookup(args))
  server.registerTool('current_time', CURRENT_TIME, ({ timezone }) => {
    try {
      return text(timeText(timezone))
    } catch {
      return { ...text(unknownZoneText(timezone)), isError: true }
    }
  })
  server.registerPrompt('weather_assistant', WEATHER_ASSISTANT, ({ user_name, preferred_units }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: assistantText(user_name, preferred_units) } }],
  }))
  server.registerResource(CITIES_RESOURCE.name, CITIES_RESOURCE.uri, CITIES_RESOURCE.metadata, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'application/json', text: CITIES_RESOURCE.text() }],
  }))
  return server
}
