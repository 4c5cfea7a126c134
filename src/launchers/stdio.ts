// Launches a stdio server: our own spawn and process group, the SDK's Client on our transport.

import { newHostClient, tapped } from './client.js'
import { offeredRevisions, ServerStartError, type StartFailure } from './errors.js'
import type { LaunchedServer, LaunchOptions } from './launcher.js'
import { isRequestTimeout } from './request-timeout.js'
import type { StdioServerConfig } from './server-config.js'
import { ServerProcess } from './server-process.js'
import { StdioProcessTransport } from './stdio-transport.js'

export async function launchStdio(
  name: string,
  config: StdioServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const proc = await ServerProcess.spawn(name, config, options.timeline)
  const transport = new StdioProcessTransport(proc, options.shutdown, (noise) => {
    // Shortened already (noise.ts): a junk line is never kept whole, here or in the timeline.
    proc.stderr.push(`[stdout, ${noise.reason}] ${noise.line}\n`)
    options.timeline.record('stdout-noise', `${noise.reason}: ${noise.line}`)
    options.onNoise(noise)
  })
  const client = newHostClient(options.client)
  try {
    await client.connect(tapped(client, transport, options.client), { timeout: options.startupTimeout })
  } catch (error) {
    // Exited, or closed its stdout: either way it ended without being asked to.
    const exitedOnItsOwn = proc.ending !== undefined
    // Whatever went wrong, the process and its group are gone before we report it.
    await transport.stop()
    // A pinned revision the server lacks: the SDK closes the connection, so the server's exit is the
    // answer to that, not the cause.
    const reason: StartFailure = isRequestTimeout(error)
      ? 'timeout'
      : exitedOnItsOwn && offeredRevisions(error) === undefined
        ? 'exit'
        : 'protocol'
    throw new ServerStartError({
      server: name,
      reason,
      command: proc.command,
      exit: proc.ending,
      stderrTail: proc.stderr.tail(),
      timeoutMs: options.startupTimeout,
      cause: error,
    })
  }
  options.timeline.record('initialized', client.getServerVersion()?.name)
  return { client, process: proc, stop: () => transport.stop() }
}
