// Launches a stdio server: our own spawn and process group, the SDK's Client on our transport.
// With `protocol: 'auto'`, a server that exits on the `server/discover` it does not know (as
// rmcp-based servers do on any first request but `initialize`) is reaped and spawned once more to
// speak 2025-11-25: that detection step is on its timeline, within the one startup timeout.

import { newHostClient, tapped } from '../client/client.js'
import { DEFAULT_PROTOCOL, type ProtocolSetting } from '../client/protocol.js'
import { isRequestTimeout } from '../client/request-timeout.js'
import { offeredRevisions, ServerStartError, type StartFailure } from '../errors.js'
import type { LaunchedServer, LaunchOptions } from '../launcher.js'
import { ServerProcess } from '../processes/server-process.js'
import type { StdioServerConfig } from '../server-config.js'
import { StdioProcessTransport } from './stdio-transport.js'

/** One spawn and connect: the server, or why not (and whether it exited on `server/discover`). */
type Attempt =
  | { readonly launched: LaunchedServer }
  | { readonly failure: ServerStartError; readonly exitedOnDiscover: boolean }

export async function launchStdio(
  name: string,
  config: StdioServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const protocol = options.client?.protocol ?? DEFAULT_PROTOCOL
  const deadline = performance.now() + options.startupTimeout
  const first = await attempt({ name, config, options }, protocol, options.startupTimeout)
  if ('launched' in first) return first.launched
  if (protocol !== 'auto' || !first.exitedOnDiscover) throw first.failure
  // Its first process is gone already (attempt() reaped it): only the detection is left to tell.
  const left = Math.ceil(deadline - performance.now())
  const exit =
    first.failure.exitCode === null ? `by ${first.failure.signal}` : `with code ${first.failure.exitCode}`
  options.timeline.record(
    'era-detection',
    `exited ${exit} on server/discover: spawned again to speak 2025-11-25 (initialize)`,
  )
  if (left <= 0) throw first.failure
  const second = await attempt({ name, config, options }, '2025-11-25', left)
  if ('launched' in second) return second.launched
  throw second.failure
}

/** The server a launch spawns: its name, its config and the host's launch options. */
interface StdioLaunch {
  name: string
  config: StdioServerConfig
  options: LaunchOptions
}

async function attempt(
  { name, config, options }: StdioLaunch,
  protocol: ProtocolSetting,
  timeoutMs: number,
): Promise<Attempt> {
  const proc = await ServerProcess.spawn(name, config, options.timeline)
  const transport = new StdioProcessTransport(proc, options.shutdown, (noise) => {
    // Shortened already (stdout-noise.ts): a junk line is never kept whole, here or in the timeline.
    proc.stderr.push(`[stdout, ${noise.reason}] ${noise.line}\n`)
    options.timeline.record('stdout-noise', `${noise.reason}: ${noise.line}`)
    options.onNoise(noise)
  })
  const client = newHostClient(options.client, protocol)
  const tap = tapped(client, transport, options.client)
  let discoverUnanswered = false
  tap.listen({
    close(pending) {
      discoverUnanswered = pending.some((request) => request.method === 'server/discover')
    },
  })
  try {
    await client.connect(tap, { timeout: timeoutMs })
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
    const failure = new ServerStartError({
      server: name,
      reason,
      command: proc.command,
      exit: proc.ending,
      stderrTail: proc.stderr.tail(),
      timeoutMs: options.startupTimeout,
      cause: error,
    })
    return { failure, exitedOnDiscover: reason === 'exit' && discoverUnanswered }
  }
  options.timeline.record('initialized', client.getServerVersion()?.name)
  return { launched: { client, process: proc, stop: () => transport.stop() } }
}
