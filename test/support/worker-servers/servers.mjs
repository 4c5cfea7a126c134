// Factories of worker servers for test/launchers/worker.test.ts (plain JS: a thread loads it as is).
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import * as z from 'zod/v4'

const text = (value) => ({ content: [{ type: 'text', text: value }] })

/**
 * Tools `exit` (process.exit with `code`), `spin` (a busy loop that never ends), `throw-later` (an
 * error thrown from a timer: uncaught in the thread; the call never answers), `reject-later` (the
 * same with an unhandled rejection) and `allocate` (holds
 * `mb` MB of JS heap in 1 MB arrays, then answers how much it holds).
 */
export function misbehaving() {
  const server = new McpServer({ name: 'misbehaving', version: '1.0.0' })
  server.registerTool('exit', { inputSchema: { code: z.number() } }, ({ code }) => process.exit(code))
  server.registerTool('throw-later', { inputSchema: { message: z.string() } }, ({ message }) => {
    setTimeout(() => {
      throw new Error(message)
    })
    return new Promise(() => {})
  })
  server.registerTool('reject-later', { inputSchema: { message: z.string() } }, ({ message }) => {
    Promise.reject(new Error(message))
    return new Promise(() => {})
  })
  const held = []
  server.registerTool('allocate', { inputSchema: { mb: z.number() } }, ({ mb }) => {
    // 2^17 doubles (8 bytes each, a fresh double array) = 1 MB of heap per chunk.
    for (let i = 0; i < mb; i++) held.push(new Array(2 ** 17).fill(0.5))
    return text(`holding ${held.length} MB`)
  })
  server.registerTool('spin', {}, () => {
    process.stderr.write('spinning\n')
    for (;;) {
      // Never yields: only terminating the thread ends it.
    }
  })
  return server
}

/** Writes to stdout and stderr when made and when its tool `say` is called. */
export function noisy(workerData) {
  console.log(`starting ${workerData.label}`)
  process.stderr.write('a warning on stderr\n')
  const server = new McpServer({ name: 'noisy', version: '1.0.0' })
  server.registerTool('say', { inputSchema: { words: z.string() } }, ({ words }) => {
    console.error(`said: ${words}`)
    return text(words)
  })
  server.registerTool('flood', { inputSchema: { kib: z.number() } }, ({ kib }) => {
    for (let i = 0; i < kib; i++) process.stdout.write(`${String(i).padStart(1023, '.')}\n`)
    return text('flooded')
  })
  return server
}

/** Tools `read` (readFileSync), `exists` and `write` (fs/promises): what this thread's fs sees. */
export function files() {
  const server = new McpServer({ name: 'files', version: '1.0.0' })
  server.registerTool('read', { inputSchema: { path: z.string() } }, ({ path }) =>
    text(readFileSync(path, 'utf8')),
  )
  server.registerTool('exists', { inputSchema: { path: z.string() } }, ({ path }) =>
    text(String(existsSync(path))),
  )
  server.registerTool('write', { inputSchema: { path: z.string(), content: z.string() } }, async (args) => {
    await writeFile(args.path, args.content)
    return text('written')
  })
  return server
}

export function throws() {
  throw new Error('no database in this thread')
}

export async function nothing() {
  return { connect: 1 }
}

export function slow(workerData) {
  return new Promise((resolve) => setTimeout(() => resolve(files()), workerData.delayMs))
}

/**
 * Asks its client: `whoami` (the client's info and capabilities), `sample` (sampling/createMessage),
 * `elicit` (elicitation/create) and `roots` (roots/list), each answering what the client said.
 */
export function asking() {
  const server = new McpServer({ name: 'asking', version: '1.0.0' })
  const json = (value) => text(JSON.stringify(value))
  server.registerTool('whoami', {}, () =>
    json({ info: server.server.getClientVersion(), capabilities: server.server.getClientCapabilities() }),
  )
  server.registerTool('sample', { inputSchema: { prompt: z.string() } }, async ({ prompt }) =>
    json(
      await server.server.createMessage({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 10,
      }),
    ),
  )
  server.registerTool('elicit', {}, async () =>
    json(
      await server.server.elicitInput({
        message: 'your name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
      }),
    ),
  )
  server.registerTool('roots', {}, async () => json(await server.server.listRoots()))
  return server
}

/** Declares logging; `log` sends an info and a debug message, `steps` three progress notifications. */
export function chatty() {
  const server = new McpServer({ name: 'chatty', version: '1.0.0' }, { capabilities: { logging: {} } })
  server.registerTool('log', {}, async () => {
    await server.sendLoggingMessage({ level: 'info', data: 'hello' })
    await server.sendLoggingMessage({ level: 'debug', data: 'details' })
    return text('logged')
  })
  server.registerTool('steps', {}, async (extra) => {
    const progressToken = extra._meta?.progressToken
    for (let progress = 1; progress <= 3; progress++) {
      if (progressToken !== undefined)
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress, total: 3 },
        })
    }
    return text('done')
  })
  return server
}

/** Logs "initialized" the moment its client says it is (during the client's connect). */
export function greeting() {
  const server = new McpServer({ name: 'greeting', version: '1.0.0' }, { capabilities: { logging: {} } })
  server.server.oninitialized = () => {
    server.sendLoggingMessage({ level: 'info', data: 'initialized' }).catch(() => {})
  }
  server.registerTool('noop', {}, () => text('ok'))
  return server
}

const TERMINAL = ['completed', 'failed', 'cancelled']

/**
 * Asks its client to run requests as tasks (MCP tasks), as server-everything's async tools do, but
 * polling every 10 ms: `sample-task` and `elicit-task` create the task, poll `tasks/get` until it
 * ends (or `cancel: true` cancels it at once), then fetch `tasks/result`; each answers what it saw.
 */
export function tasking() {
  const server = new McpServer({ name: 'tasking', version: '1.0.0' })
  const json = (value) => text(JSON.stringify(value))
  const ask = async (extra, request, cancel) => {
    const created = await extra.sendRequest(request, z.looseObject({ task: z.looseObject({}) }))
    const { taskId } = created.task
    const seen = [created.task.status]
    if (cancel) {
      const cancelled = await extra.sendRequest(
        { method: 'tasks/cancel', params: { taskId } },
        z.looseObject({}),
      )
      seen.push(cancelled.status)
    }
    for (let polls = 0; !TERMINAL.includes(seen.at(-1)) && polls < 500; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      const task = await extra.sendRequest({ method: 'tasks/get', params: { taskId } }, z.looseObject({}))
      if (task.status !== seen.at(-1)) seen.push(task.status)
    }
    const listed = await extra.sendRequest({ method: 'tasks/list', params: {} }, z.looseObject({}))
    const outcome = await extra
      .sendRequest({ method: 'tasks/result', params: { taskId } }, z.looseObject({}))
      .then(
        (result) => ({ result }),
        (error) => ({ error: error.message }),
      )
    return json({ taskId, seen, listed: listed.tasks.map((t) => t.taskId), ...outcome })
  }
  const schema = { prompt: z.string().optional(), cancel: z.boolean().optional() }
  server.registerTool('sample-task', { inputSchema: schema }, (args, extra) =>
    ask(
      extra,
      {
        method: 'sampling/createMessage',
        params: {
          task: { ttl: 60_000 },
          messages: [{ role: 'user', content: { type: 'text', text: args.prompt ?? 'hi' } }],
          maxTokens: 10,
        },
      },
      args.cancel,
    ),
  )
  server.registerTool('elicit-task', { inputSchema: schema }, (args, extra) =>
    ask(
      extra,
      {
        method: 'elicitation/create',
        params: {
          task: { ttl: 60_000 },
          message: args.prompt ?? 'your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
      args.cancel,
    ),
  )
  return server
}
