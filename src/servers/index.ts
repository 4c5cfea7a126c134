// `vitest-mcp-host/servers`: ready-made configs that run the bundled example servers.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { McpServer } from '@modelcontextprotocol/server'
import type {
  HttpSpawnedServerConfig,
  MemoryServerConfig,
  StdioServerConfig,
  WorkerServerConfig,
} from '../host/config/config-types.js'

export type { ProtocolRevision, ProtocolSetting } from '../launchers/client/protocol.js'
export type { ServerLike } from '../launchers/transports/serve-in-process.js'
export type { WireServerSetting, WireSeverity } from '../wire/check/options.js'

import { isMisbehaviourKind, type MisbehaviourKind, misbehaviourKinds } from './kinds.js'

// The config types these functions return, as the main entry exports them: a user of this entry
// alone can name them.
export type { ServerCassetteSetting } from '../cassette/options.js'
export type { RedactRule } from '../cassette/redact.js'
export type {
  CommonServerOptions,
  HttpSpawnedServerConfig,
  MemoryServerConfig,
  ProcessSpec,
  ShutdownOptions,
  StdioServerConfig,
  WorkerResourceLimits,
  WorkerServerConfig,
} from '../host/config/config-types.js'
export { isMisbehaviourKind, type MisbehaviourKind, misbehaviourKinds }

/** Options shared by the example server configs; they are copied into the returned config. */
export type ExampleServerOptions = Pick<
  StdioServerConfig,
  'env' | 'cwd' | 'shutdown' | 'startupTimeout' | 'requestTimeout' | 'exclude'
>

/** Options of the weather server configs: those of every example server, and `alerts`. */
export interface WeatherServerOptions extends ExampleServerOptions {
  /**
   * Also serve `subscribe_alerts({ location })`, a multi-round-trip tool: it asks the user to confirm
   * (a form elicitation: `{ confirm: boolean }`) and answers `Subscribed to weather alerts for <location>`
   * (or `Not subscribed … (declined)`). On 2026-07-28 the question is an `input_required` round; on
   * 2025-11-25 it is an `elicitation/create` request. Default false: the service has two tools.
   */
  alerts?: boolean
}

/** Options of {@link misbehavingServer}. */
export interface MisbehavingServerOptions extends ExampleServerOptions {
  /** ms before a 'slow-start' server answers `initialize`; default 1000. */
  delayMs?: number
}

const PACKAGE_NAME = 'vitest-mcp-host'
let packageRoot: string | undefined

// Walks up from this file, so it works from src/servers (tests) and from dist/src/servers inside
// node_modules/vitest-mcp-host alike. Package.json files of other names (none today) are skipped.
function findPackageRoot(): string {
  if (packageRoot !== undefined) return packageRoot
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) {
          packageRoot = dir
          return dir
        }
      } catch {
        // An unreadable or malformed package.json is not ours; keep walking.
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) {
      throw new Error(
        `${PACKAGE_NAME}: cannot find its own package.json above ${fileURLToPath(import.meta.url)}`,
      )
    }
    dir = parent
  }
}

/**
 * The absolute path of a bundled example server, e.g. `bundlePath('weather')`.
 * Throws if it has not been built.
 *
 * @example
 * spawn(process.execPath, [bundlePath('weather')], { stdio: 'pipe' })
 */
export function bundlePath(name: 'weather' | 'weather-http' | 'misbehaving' | 'weather-worker'): string {
  const root = findPackageRoot()
  const file = path.join(root, 'dist', 'example-servers', `${name}.mjs`)
  if (!existsSync(file)) {
    throw new Error(
      `${PACKAGE_NAME}: the example server bundle ${file} is missing; run \`npm run build\` in ${root}`,
    )
  }
  return file
}

/**
 * A stdio config for the bundled weather server (tools `weather_lookup`, `current_time`; prompt
 * `weather_assistant`; resource `weather://cities`), run with the current Node binary.
 *
 * @example
 * const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherServer() } }) })
 * test('london', async ({ hostManager }) => {
 *   const result = await hostManager.callTool('weather_lookup', { location: 'London' })
 *   expect(result).toContainToolText('Rainy')
 * })
 */
export function weatherServer(options: WeatherServerOptions = {}): StdioServerConfig {
  const { alerts, ...rest } = options
  return { transport: 'stdio', command: process.execPath, args: weatherArgs('weather', alerts), ...rest }
}

function weatherArgs(name: 'weather' | 'weather-http', alerts: boolean | undefined): string[] {
  return alerts ? [bundlePath(name), '--alerts'] : [bundlePath(name)]
}

/** Options of the in-process example server configs (worker thread, memory). */
export type InProcessServerOptions = Pick<
  WorkerServerConfig,
  'shutdown' | 'startupTimeout' | 'requestTimeout' | 'exclude'
> & {
  /** Also serve the multi-round-trip tool `subscribe_alerts` (see {@link WeatherServerOptions}). */
  alerts?: boolean
}

/** Options of {@link weatherWorkerServer}: those of the in-process configs, and `files`. */
export type WorkerServerOptions = InProcessServerOptions & Pick<WorkerServerConfig, 'files'>

/**
 * A worker config for the same weather service as {@link weatherServer}, run in a thread of this
 * process's pool (its module: the bundled factory, `dist/example-servers/weather-worker.mjs`).
 * `files` gives the thread an in-memory file system holding them (see `server(name).files()`).
 *
 * @example
 * const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherWorkerServer() } }) })
 * @example
 * weatherWorkerServer({ files: { '/data/cities.json': '["Oslo"]' } })
 */
export function weatherWorkerServer(options: WorkerServerOptions = {}): WorkerServerConfig {
  const { alerts, ...rest } = options
  const config: WorkerServerConfig = { transport: 'worker', module: bundlePath('weather-worker'), ...rest }
  return alerts ? { ...config, workerData: { alerts: true } } : config
}

/** The bundled weather factory (weather-worker.mjs), once weatherMemoryServer() loaded it. */
type WeatherFactory = (data?: { alerts?: boolean }) => McpServer
let weatherFactory: WeatherFactory | undefined

/**
 * A memory config for the same weather service as {@link weatherServer}, served in this thread
 * (the bundled factory is loaded on first start).
 *
 * @example
 * const host = await HostManager.start({ servers: { weather: weatherMemoryServer() } })
 */
export function weatherMemoryServer(options: InProcessServerOptions = {}): MemoryServerConfig {
  const { alerts, ...rest } = options
  const url = pathToFileURL(bundlePath('weather-worker')).href
  const data = { alerts: alerts === true }
  // Synchronous once loaded: a dynamic import() per start costs more than the rest of it.
  const server = () =>
    weatherFactory?.(data) ??
    import(url).then((loaded: { default: WeatherFactory }) => {
      weatherFactory = loaded.default
      return loaded.default(data)
    })
  return { transport: 'memory', server, ...rest }
}

/**
 * A spawned Streamable HTTP config for the bundled weather server: the same tools, prompt and
 * resource as {@link weatherServer}, served at `http://127.0.0.1:PORT/mcp` on the port the host
 * picks (stateful sessions; it listens on the loopback interface only).
 *
 * @example
 * const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherHttpServer() } }) })
 * test('london over http', async ({ hostManager }) => {
 *   expect(await hostManager.callTool('weather_lookup', { location: 'London' })).toContainToolText('Rainy')
 * })
 */
export function weatherHttpServer(options: WeatherServerOptions = {}): HttpSpawnedServerConfig {
  const { alerts, ...rest } = options
  return { transport: 'http', command: process.execPath, args: weatherArgs('weather-http', alerts), ...rest }
}

/**
 * A stdio config for a server that misbehaves on purpose (see {@link MisbehaviourKind}); each also
 * serves `weather_lookup`. For testing a harness's timeouts, crash reports and process cleanup.
 *
 * @example
 * const host = await HostManager.start({ servers: { slow: misbehavingServer('slow-start', { delayMs: 200 }) } })
 * await host.shutdown()
 *
 * @example
 * // Must be SIGKILLed: expect shutdown to take about graceMs + termMs.
 * misbehavingServer('ignore-sigterm', { shutdown: { graceMs: 100, termMs: 100 } })
 */
export function misbehavingServer(
  kind: MisbehaviourKind,
  options: MisbehavingServerOptions = {},
): StdioServerConfig {
  // Checked at run time too: a JavaScript caller's typo should fail here, not as an exit code 2 later.
  if (!isMisbehaviourKind(kind)) {
    throw new TypeError(
      `misbehavingServer: unknown kind ${JSON.stringify(kind)}; expected one of ${misbehaviourKinds.join(', ')}`,
    )
  }
  const { delayMs, ...rest } = options
  const args = [bundlePath('misbehaving'), kind]
  if (delayMs !== undefined) {
    if (!Number.isInteger(delayMs) || delayMs < 0) {
      throw new TypeError(`misbehavingServer: delayMs must be a non-negative integer, got ${delayMs}`)
    }
    args.push(`--delay-ms=${delayMs}`)
  }
  return { transport: 'stdio', command: process.execPath, args, ...rest }
}
