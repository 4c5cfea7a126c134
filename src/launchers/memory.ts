// Launches an in-process server over the SDK's linked in-memory transport pair.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { MemoryServerConfig } from '../host/config-types.js'
import { HOST_INFO } from '../version.js'
import { ServerStartError } from './errors.js'
import type { LaunchedServer, LaunchOptions } from './launcher.js'

export async function launchMemory(
  name: string,
  config: MemoryServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const fail = (cause: unknown, reason: 'protocol' | 'timeout' = 'protocol') =>
    new ServerStartError({
      server: name,
      reason,
      command: '(in-memory server)',
      stderrTail: '',
      timeoutMs: options.startupTimeout,
      cause,
    })
  let server: Awaited<ReturnType<MemoryServerConfig['server']>>
  try {
    server = await config.server()
  } catch (error) {
    throw fail(error)
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  const client = new Client({ ...HOST_INFO }, { capabilities: {} })
  let stopping: Promise<undefined> | undefined
  const stop = () => {
    stopping ??= Promise.allSettled([client.close(), server.close()]).then(() => {
      options.timeline.record('stopped')
      return undefined
    })
    return stopping
  }
  try {
    await server.connect(serverSide)
    await client.connect(clientSide, { timeout: options.startupTimeout })
  } catch (error) {
    await stop()
    throw fail(error)
  }
  options.timeline.record('initialized', client.getServerVersion()?.name)
  return { client, process: undefined, stop }
}
