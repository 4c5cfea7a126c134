// A replayed server (API.md "Cassettes"): the host's own client, connected through its wire tap to
// the in-process replay of a cassette. No process, no launcher; everything that listens on the tap
// (notifications, wire check, tool coverage, sent calls) sees the replay as it saw the live server.
import { CassetteMismatchError } from '../../cassette/errors.js'
import type { ReplayTransport } from '../../cassette/replay.js'
import { newHostClient, tapped } from '../../launchers/client/client.js'
import { ServerStartError } from '../../launchers/errors.js'
import type { LaunchedServer, LaunchOptions } from '../../launchers/launcher.js'

export async function connectReplay(
  name: string,
  file: string,
  replay: ReplayTransport,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  options.timeline.record('replaying', file)
  const client = newHostClient(options.client)
  let stopping: Promise<undefined> | undefined
  const stop = () => {
    stopping ??= client.close().then(() => {
      options.timeline.record('stopped')
      return undefined
    })
    return stopping
  }
  try {
    await client.connect(tapped(client, replay, options.client), { timeout: options.startupTimeout })
  } catch (error) {
    await stop()
    // A handshake unlike the recorded one says itself what differed and how to re-record.
    if (error instanceof CassetteMismatchError) throw error
    throw new ServerStartError({
      server: name,
      reason: 'protocol',
      command: `(replayed from ${file})`,
      stderrTail: '',
      timeoutMs: options.startupTimeout,
      cause: error,
    })
  }
  options.timeline.record('initialized', client.getServerVersion()?.name)
  return { client, process: undefined, stop }
}
