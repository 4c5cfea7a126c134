// The weather service's data, texts and tool/prompt/resource metadata, with no SDK import: shared by the
// v2-built server the bundles serve (server.ts) and its v1-built twin (service.ts).
// zod/v4 as a namespace: esbuild cannot shake `import { z } from 'zod'`, which drags in every locale (+260 kB).
import * as z from 'zod/v4'

/** Units accepted by `weather_lookup`. */
export type Units = 'metric' | 'imperial'

/** Arguments of `weather_lookup`, after validation. */
export interface WeatherLookupArgs {
  location: string
  units?: Units | undefined
}

interface Conditions {
  celsius: number
  sky: string
  humidity: number
}

// Keys are lower-case so lookups are case-insensitive; the display names feed `weather://cities`.
const CITIES: ReadonlyMap<string, Conditions & { name: string }> = new Map(
  [
    { name: 'San Francisco', celsius: 18, sky: 'Foggy', humidity: 85 },
    { name: 'New York', celsius: 22, sky: 'Partly Cloudy', humidity: 60 },
    { name: 'London', celsius: 15, sky: 'Rainy', humidity: 90 },
    { name: 'Tokyo', celsius: 25, sky: 'Sunny', humidity: 50 },
  ].map((city) => [city.name.toLowerCase(), city]),
)
const ELSEWHERE: Conditions = { celsius: 20, sky: 'Clear', humidity: 65 }

/** The names of the cities the service knows, as served by `weather://cities`. */
export const knownCities: readonly string[] = [...CITIES.values()].map((city) => city.name)

/**
 * The text `weather_lookup` answers with; the location is printed as given.
 *
 * @example
 * weatherText('london', 'imperial') // 'Weather for london: Temp 59°F, Rainy, Humidity 90%'
 */
export function weatherText(location: string, units: Units = 'metric'): string {
  const c = CITIES.get(location.trim().toLowerCase()) ?? ELSEWHERE
  const temp = units === 'imperial' ? `${Math.round((c.celsius * 9) / 5 + 32)}°F` : `${c.celsius}°C`
  return `Weather for ${location}: Temp ${temp}, ${c.sky}, Humidity ${c.humidity}%`
}

/**
 * The text `current_time` answers with, e.g. `Current time in Europe/London: 2026-11-22 10:00:00 GMT`.
 * Throws a RangeError for a time zone Intl does not know.
 *
 * @example
 * timeText('Asia/Tokyo', new Date(0)) // 'Current time in Asia/Tokyo: 1970-01-01 09:00:00 GMT+9'
 */
export function timeText(timeZone: string, now: Date = new Date()): string {
  // en-US with h23: numeric parts in a fixed order, and no "24:00" at midnight.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(now)
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? ''
  const stamp = `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`
  return `Current time in ${timeZone}: ${stamp} ${part('timeZoneName')}`
}

/** The text of the `weather_assistant` prompt's one user message. */
export function assistantText(userName: string | undefined, units: Units | undefined): string {
  return (
    `You are a helpful weather assistant talking to ${userName ?? 'a user'}. ` +
    `Use the weather_lookup tool with ${units ?? 'metric'} units, ` +
    'and current_time for local times.'
  )
}

/** What an unknown zone answers (a tool error result: the caller's mistake, not a protocol error). */
export const unknownZoneText = (timezone: string): string => `Unknown time zone: ${timezone}`

// Raw shapes: both SDKs' registerTool/registerPrompt take them (v2 wraps them in z.object itself).
export const WEATHER_LOOKUP = {
  description: 'Current weather for a location.',
  inputSchema: {
    location: z.string().describe('A city name, e.g. London'),
    units: z.enum(['metric', 'imperial']).optional().describe('Default metric (°C)'),
  },
} as const

export const CURRENT_TIME = {
  description: 'Current local time in an IANA time zone.',
  inputSchema: { timezone: z.string().describe('An IANA time zone, e.g. Europe/London') },
} as const

export const WEATHER_ASSISTANT = {
  description: 'Sets up a conversation with a weather assistant.',
  argsSchema: {
    user_name: z.string().optional().describe('How to address the user'),
    preferred_units: z.enum(['metric', 'imperial']).optional(),
  },
} as const

export const CITIES_RESOURCE = {
  name: 'cities',
  uri: 'weather://cities',
  metadata: { description: 'The cities with known weather.', mimeType: 'application/json' },
  text: (): string => JSON.stringify(knownCities),
} as const
