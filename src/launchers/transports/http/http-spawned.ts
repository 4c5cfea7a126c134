// Launches a Streamable HTTP server we spawn: on a loopback port we pick, ready only once the server
// that answers there is our own child's (another process may take the port before the child binds it).
import { ServerStartError } from '../../errors.js'
import type { LaunchedServer, LaunchOptions } from '../../launcher.js'
import { LineSplitter } from '../../output/line-splitter.js'
import { shownLine } from '../../output/stdout-noise.js'
import { portHolding } from '../../processes/port-holders.js'
import { commandLine, ServerProcess } from '../../processes/server-process.js'
import type { HttpSpawnedServerConfig } from '../../server-config.js'
import { settlesWithin } from '../../util/wait.js'
import { endSession, initialize, isNetworkError, NoSession, type Session } from './http-session.js'
import { portPicker, refusedAt } from './loopback-port.js'

/** The longest stdout line kept of a spawned HTTP server's log; a longer one is noted, not kept. */
const LOG_LINE_BYTES = 64 * 1024
/** How long a request whose connection broke waits for the server's exit to be seen (see exitAware). */
const EXIT_WAIT_MS = 100
/** Spawns tried, each on a new port, while each finds its port answered by another process. */
const PORT_ATTEMPTS = 5
/** How long the session opened on another process's server by mistake gets to end (DELETE). */
const FOREIGN_SESSION_END_MS = 100
/** How long the check "does anything listen at the port" waits after a start timed out. */
const REFUSAL_PROBE_MS = 100
/** Written in `args` and `env` values, replaced by the port the host chose. */
const PORT_PLACEHOLDER = '${port}'

/** Another process answered at the port the server was given: try again on another. */
class PortTaken extends Error {
  constructor(
    readonly why: string,
    readonly failure: ServerStartError | undefined,
  ) {
    super(why)
  }
}

export async function launchSpawned(
  name: string,
  config: HttpSpawnedServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const deadline = performance.now() + options.startupTimeout
  for (let attempt = 1; ; attempt++) {
    let why: string
    let failure: ServerStartError | undefined
    try {
      return await spawnOnFreePort(name, config, options, deadline)
    } catch (error) {
      if (error instanceof PortTaken) {
        ;({ why, failure } = error)
      } else if (
        error instanceof ServerStartError &&
        error.reason === 'exit' &&
        /EADDRINUSE/.test(error.stderrTail)
      ) {
        // It exited finding its port bound: another process took it between our pick and its bind.
        why = `exited with EADDRINUSE`
        failure = error
      } else throw error
    }
    options.timeline.record('port-taken', `attempt ${attempt}: ${why}; another port`)
    if (attempt >= PORT_ATTEMPTS || performance.now() >= deadline) {
      throw (
        failure ??
        new ServerStartError({
          server: name,
          reason: 'protocol',
          command: commandLine(config),
          stderrTail: '',
          note: `${attempt} ports tried, each answered by another process`,
          cause: new Error(why),
        })
      )
    }
  }
}

async function spawnOnFreePort(
  name: string,
  config: HttpSpawnedServerConfig,
  options: LaunchOptions,
  deadline: number,
): Promise<LaunchedServer> {
  const { path = '/mcp', portEnv = 'PORT' } = config
  let port: number
  try {
    port = await portPicker.next()
  } catch (error) {
    const why = `no free port on 127.0.0.1 to pass as ${portEnv} (${error instanceof Error ? error.message : String(error)})`
    throw new ServerStartError({
      server: name,
      reason: 'spawn',
      command: commandLine(config),
      stderrTail: '',
      cause: new Error(why, { cause: error }),
    })
  }
  const proc = await ServerProcess.spawn(name, withPort(config, port), options.timeline)
  keepStdoutAsLog(proc)
  const url = new URL(`http://127.0.0.1:${port}${path}`)
  const left = Math.max(1, deadline - performance.now())
  let session: Session
  try {
    session = await initialize({
      url,
      ms: left,
      timeline: options.timeline,
      proc,
      ...(options.client && { side: options.client }),
    })
  } catch (error) {
    const { reason, last, waited } = error instanceof NoSession ? error : new NoSession('protocol', error)
    const exited = proc.exit !== undefined
    // A timed-out initialize does not say whether anything listened: ask the port itself.
    const refused = !exited && reason === 'timeout' ? await refusedAt(port, REFUSAL_PROBE_MS) : undefined
    const neverListened = !exited && ((reason === 'unreachable' && waited) || refused !== undefined)
    // Its last words are in the pipes when it exits; then it and its group are gone before we report.
    if (exited) await settlesWithin(proc.drained, 100)
    await proc.stop(options.shutdown, 'SIGTERM')
    throw new ServerStartError({
      server: name,
      // Still running when time ran out: it never listened, or never answered.
      reason: exited ? 'exit' : neverListened ? 'timeout' : reason,
      ...(neverListened && { note: `nothing listened at its url: ${(refused ?? (last as Error)).message}` }),
      command: proc.command,
      url: url.href,
      exit: proc.ending,
      stderrTail: proc.stderr.tail(),
      ...((waited || reason === 'timeout') && { timeoutMs: options.startupTimeout }),
      cause: last,
    })
  }
  const foreign = answeredByAnother(proc, port)
  if (foreign !== undefined) {
    // Not ours: end the session we opened there (the other process's server keeps nothing of ours).
    await settlesWithin(
      session.transport.terminateSession().catch(() => {}),
      FOREIGN_SESSION_END_MS,
    )
    await session.client.close().catch(() => {})
    // Whether it had exited by itself (typically EADDRINUSE), before we stop it.
    const exited = proc.exit !== undefined
    if (exited) await settlesWithin(proc.drained, 100)
    await proc.stop(options.shutdown, 'SIGTERM')
    const failure = new ServerStartError({
      server: name,
      // Still running: the answer came from elsewhere (the cause); exited: its exit, and why.
      ...(exited
        ? { reason: 'exit' as const, note: foreign }
        : { reason: 'protocol' as const, cause: new Error(foreign) }),
      command: proc.command,
      url: url.href,
      exit: proc.ending,
      stderrTail: proc.stderr.tail(),
    })
    throw new PortTaken(foreign, failure)
  }
  options.timeline.record('initialized', session.client.getServerVersion()?.name)
  exitAware(session, proc)
  let stopping: Promise<Awaited<ReturnType<ServerProcess['stop']>>> | undefined
  // Exited while in use: what is pending fails now (the owner has marked it crashed by then).
  void proc.ended.then(() =>
    setImmediate(() => {
      if (!stopping) session.client.close().catch(() => {})
    }),
  )
  const stop = () => {
    stopping ??= (async () => {
      if (proc.running) await endSession(session, options.shutdown, options.timeline)
      else await session.client.close().catch(() => {})
      // It does not read stdin: SIGTERM is its ordinary stop, then termMs, then SIGKILL.
      return proc.stop(options.shutdown, 'SIGTERM')
    })()
    return stopping
  }
  return { client: session.client, process: proc, stop, url: url.href }
}

/**
 * Why the server that answered at `port` is not `proc` (or one of its descendants), or undefined
 * if it is. Without /proc, a server that exited by now cannot have been the one that answered.
 */
function answeredByAnother(proc: ServerProcess, port: number): string | undefined {
  if (!proc.running) return `another process answered at 127.0.0.1:${port}; the one started exited`
  const holding = portHolding(proc.pid, port)
  return holding.holds === false ? holding.why : undefined
}

/** The spawn: `${port}` replaced in args and env values, `HOST=127.0.0.1`, and the port in `portEnv`. */
function withPort(config: HttpSpawnedServerConfig, port: number) {
  const fill = (text: string) => text.replaceAll(PORT_PLACEHOLDER, String(port))
  const env = Object.fromEntries(Object.entries(config.env ?? {}).map(([k, v]) => [k, fill(v)]))
  return {
    command: config.command,
    args: config.args?.map(fill),
    cwd: config.cwd,
    // HOST and the port last: loopback only, and the URL the host uses must be where it listens.
    env: { ...env, HOST: '127.0.0.1', [config.portEnv ?? 'PORT']: String(port) },
  }
}

/**
 * A dying server's sockets close before its exit is seen: a request whose connection broke waits
 * (at most EXIT_WAIT_MS) for the exit, so that it fails as what it is, a crash (ServerExitError),
 * not as "fetch failed".
 */
function exitAware({ transport }: Session, proc: ServerProcess): void {
  const send = transport.send.bind(transport)
  transport.send = async (...args) => {
    try {
      return await send(...args)
    } catch (error) {
      if (isNetworkError(error) && (await settlesWithin(proc.ended, EXIT_WAIT_MS))) {
        // Its owner marks it crashed in a reaction to `ended` registered before ours; one turn more.
        await new Promise((resolve) => setImmediate(resolve))
      }
      throw error
    }
  }
}

/** Stdout is not the protocol here: its lines go to the stderr tail, marked, bounded like it. */
function keepStdoutAsLog(proc: ServerProcess): void {
  const lines = new LineSplitter(
    LOG_LINE_BYTES,
    (line) => proc.stderr.push(`[stdout] ${shownLine(line)}\n`),
    ({ bytes, head }) =>
      proc.stderr.push(
        `[stdout] ${shownLine(head)}… (a line over ${LOG_LINE_BYTES} bytes, ${bytes}+ bytes)\n`,
      ),
  )
  proc.child.stdout.on('data', (chunk: Buffer) => lines.push(chunk))
  proc.child.stdout.on('end', () => lines.flush())
}
