// Launches a Streamable HTTP server: one already running at a URL, or one we spawn on a loopback port.
import { ServerStartError } from '../../errors.js'
import type { LaunchedServer, LaunchOptions } from '../../launcher.js'
import type { HttpSpawnedServerConfig, HttpUrlServerConfig } from '../../server-config.js'
import { endSession, initialize, NoSession, type Session } from './http-session.js'
import { launchSpawned } from './http-spawned.js'

export type HttpServerConfig = HttpUrlServerConfig | HttpSpawnedServerConfig

export function launchHttp(
  name: string,
  config: HttpServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  return 'url' in config ? connectUrl(name, config, options) : launchSpawned(name, config, options)
}

async function connectUrl(
  name: string,
  config: HttpUrlServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const url = new URL(config.url)
  const requestInit = config.headers ? { headers: { ...config.headers } } : undefined
  let session: Session
  try {
    session = await initialize({
      url,
      ...(requestInit && { requestInit }),
      ms: options.startupTimeout,
      timeline: options.timeline,
      ...(options.client && { side: options.client }),
    })
  } catch (error) {
    const { reason, last, waited } = error instanceof NoSession ? error : new NoSession('protocol', error)
    throw new ServerStartError({
      server: name,
      reason,
      command: '',
      url: url.href,
      stderrTail: '',
      ...(waited && { timeoutMs: options.startupTimeout }),
      cause: last,
    })
  }
  options.timeline.record('initialized', session.client.getServerVersion()?.name)
  let stopping: Promise<undefined> | undefined
  const stop = () => {
    stopping ??= endSession(session, options.shutdown, options.timeline).then(() => {
      options.timeline.record('stopped')
      return undefined
    })
    return stopping
  }
  return { client: session.client, process: undefined, stop, url: url.href }
}
