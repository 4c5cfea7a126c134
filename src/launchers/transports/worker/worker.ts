// Launches a server in a thread of this process's tinypool pool, connected over a MessagePort.
import { pathToFileURL } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import { newHostClient, tapped } from '../../client/client.js'
import { isRequestTimeout } from '../../client/request-timeout.js'
import { ServerStartError, type StartFailure } from '../../errors.js'
import type { LaunchedServer, LaunchOptions } from '../../launcher.js'
import { DEFAULT_WORKER_RESOURCE_LIMITS, type WorkerServerConfig } from '../../server-config.js'
import { MessagePortTransport } from './message-port-transport.js'
import { ServerThread } from './server-thread.js'
import type { WorkerTask } from './worker-entry.js'
import { watchThreadExit, workerEntry, workerPool } from './worker-pool.js'

/** `module` as a file: URL (config validation accepts an absolute path or a file: URL). */
export function moduleUrl(module: string): string {
  return module.startsWith('file:') ? module : pathToFileURL(module).href
}

export async function launchWorker(
  name: string,
  config: WorkerServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const exportName = config.export ?? 'default'
  const command = `(worker thread) ${config.module}#${exportName}`
  // A limit given as undefined keeps its default.
  const given = Object.entries(config.resourceLimits ?? {}).filter(([, value]) => value !== undefined)
  const limits = { ...DEFAULT_WORKER_RESOURCE_LIMITS, ...Object.fromEntries(given) }
  const pool = workerPool(config.files !== undefined, limits)
  const thread = new ServerThread({
    timeline: options.timeline,
    files: config.files,
    limits,
    watchExit: (id, onExit) => watchThreadExit(pool, id, onExit),
  })
  const { port1, port2 } = new MessageChannel()
  const transport = new MessagePortTransport(port1, {
    onEnvelope: (envelope) => thread.receive(envelope),
    onPortClose: () => void thread.portClosed(),
  })
  const task: WorkerTask = {
    module: moduleUrl(config.module),
    exportName,
    workerData: config.workerData,
    files: config.files,
    port: port2,
  }
  options.timeline.record('worker', command)
  thread.running(
    pool.run(task, { filename: workerEntry(), transferList: [port2], signal: thread.signal }),
    transport,
  )
  const client = newHostClient(options.client)
  const stop = () => thread.stop(options.shutdown)
  // The task settling or the thread ending before the handshake is done is a failed start.
  const connecting = client.connect(tapped(client, transport, options.client), {
    timeout: options.startupTimeout,
  })
  const failure = await Promise.race([
    connecting.then(
      () => undefined,
      (error: unknown) => ({ error, reason: isRequestTimeout(error) ? 'timeout' : 'protocol' }) as const,
    ),
    thread.task.then(
      () =>
        ({ error: new Error('the server closed before answering initialize'), reason: 'protocol' }) as const,
      (error: unknown) => ({ error, reason: 'protocol' }) as const,
    ),
    thread.ended.then(() => ({ error: new Error('its thread exited'), reason: 'exit' }) as const),
  ])
  if (failure) {
    // Stopping first: a thread ending now is this failed start's, not a crash of a server in use.
    const stopped = stop()
    connecting.catch(() => {})
    await client.close().catch(() => {})
    await stopped
    throw new ServerStartError({
      server: name,
      reason: failure.reason satisfies StartFailure,
      command,
      exit: thread.ending,
      stderrTail: thread.output.tail(),
      timeoutMs: options.startupTimeout,
      cause: failure.error,
    })
  }
  options.timeline.record('initialized', client.getServerVersion()?.name)
  return { client, process: undefined, thread, stop }
}
