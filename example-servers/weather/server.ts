// The bundled weather service (API.md "The bundled example servers") on SDK v2
// (`@modelcontextprotocol/server`): one factory serves both protocol revisions on every transport.
import { type CallToolResult, McpServer } from '@modelcontextprotocol/server'
import { registerAlerts } from './alerts.js'
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

/** Options of {@link createWeatherMcpServer}; the misbehaving servers use `name` and `lookup`. */
export interface WeatherMcpServerOptions {
  /** `serverInfo.name`; default `'weather'`. */
  name?: string
  /** Replaces the `weather_lookup` handler (e.g. to crash or hang on purpose). */
  lookup?: (args: WeatherLookupArgs) => CallToolResult | Promise<CallToolResult>
  /** Also serve the multi-round-trip tool `subscribe_alerts` (alerts.ts). Default false. */
  alerts?: boolean
}

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] })

/**
 * A new, unconnected SDK v2 `McpServer` serving the weather service: tools `weather_lookup` and
 * `current_time` (and `subscribe_alerts` with `alerts: true`), prompt `weather_assistant`, resource
 * `weather://cities`. Serve it with `serveStdio(() => createWeatherMcpServer())` for both revisions.
 *
 * @example
 * serveStdio(() => createWeatherMcpServer({ alerts: true }))
 */
export function createWeatherMcpServer(options: WeatherMcpServerOptions = {}): McpServer {
  const server = new McpServer({ name: options.name ?? 'weather', version: '1.0.0' })
  const lookup = options.lookup ?? ((args: WeatherLookupArgs) => text(weatherText(args.location, args.units)))

  server.registerTool('weather_lookup', WEATHER_LOOKUP, (args) => lookup(args))
  server.registerTool('current_time', CURRENT_TIME, ({ timezone }) => {
    try {
      return text(timeText(timezone))
    } catch {
      // An unknown zone is the caller's mistake, so it is a tool error result, not a protocol error.
      return { ...text(unknownZoneText(timezone)), isError: true }
    }
  })
  if (options.alerts) registerAlerts(server)
  server.registerPrompt('weather_assistant', WEATHER_ASSISTANT, ({ user_name, preferred_units }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: assistantText(user_name, preferred_units) } }],
  }))
  server.registerResource(CITIES_RESOURCE.name, CITIES_RESOURCE.uri, CITIES_RESOURCE.metadata, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'application/json', text: CITIES_RESOURCE.text() }],
  }))
  return server
}
