// A bare MCP stdio server without the SDK, writing exactly the bytes a test needs: floods of junk,
// lines of any size, results of any size, responses to ids nobody asked for, and (--wire-faults)
// tools that break the protocol on request, one per rule family: `add` answers right; `bad_add`
// breaks its outputSchema (a string sum); `twice` answers its call twice; `noise` writes a line
// that is not JSON before its answer, `json_noise` one that is JSON but no JSON-RPC message;
// `bad_notify` sends a notifications/message with a level no revision has before its answer.
// Usage: node raw-stdio-server.mjs [--flood=<bytes>] [--flood-line=<bytes>] [--long-line=<bytes>]
//          [--result=<bytes>] [--unknown-id] [--delay-call=<ms>] [--ping-flood=<n>] [--wire-faults]
import { createInterface } from 'node:readline'

const option = (name) => {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  return arg === undefined ? undefined : Number(arg.split('=')[1] ?? 1)
}
const flood = option('flood') ?? 0
const floodLine = option('flood-line') ?? 1024
const longLine = option('long-line') ?? 0
const resultBytes = option('result') ?? 0
const unknownId = option('unknown-id') !== undefined
const delayCall = option('delay-call') ?? 0
const pingFlood = option('ping-flood') ?? 0
const wireFaults = option('wire-faults') !== undefined

// Writes in order, waiting for the pipe to drain: nothing is held in memory beyond one chunk.
let queue = Promise.resolve()
const write = (text) =>
  (queue = queue.then(
    () =>
      new Promise((resolve) =>
        process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve),
      ),
  ))
const send = (message) => write(`${JSON.stringify(message)}\n`)

function writeFlood() {
  // Lines of `floodLine` bytes (newline included), written 1 MB at a time.
  const line = `${'x'.repeat(Math.max(floodLine - 1, 0))}\n`
  const perChunk = Math.max(1, Math.floor((1 << 20) / line.length))
  for (let left = Math.floor(flood / line.length); left > 0; left -= perChunk) {
    write(line.repeat(Math.min(perChunk, left)))
  }
}

function writeLongLine() {
  const chunk = 'y'.repeat(1 << 20)
  for (let left = longLine; left > 0; left -= chunk.length)
    write(left >= chunk.length ? chunk : chunk.slice(0, left))
  write('\n')
}

const tool = { name: 'echo', description: 'says hello', inputSchema: { type: 'object' } }

const outputSchema = { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] }
const faultyTools = ['add', 'bad_add', 'twice', 'noise', 'json_noise', 'bad_notify'].map((name) => ({
  name,
  inputSchema: { type: 'object' },
  outputSchema,
}))
const sum = (value) => ({
  content: [{ type: 'text', text: JSON.stringify({ sum: value }) }],
  structuredContent: { sum: value },
})

/** --wire-faults: a call of one of `faultyTools`, each breaking its rule. */
function callFaulty(name, answer) {
  if (name === 'bad_add') return answer(sum('five'))
  if (name === 'noise') write('debug: computing the sum\n')
  // JSON, but no JSON-RPC message
  if (name === 'json_noise') write('{"debug":"computing the sum"}\n')
  // a level no revision has, before the answer
  if (name === 'bad_notify')
    send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'loud', data: 'sum' } })
  answer(sum(5))
  if (name === 'twice') answer(sum(5))
}

/**
 * On a tools/call: `pingFlood` ping requests to the client, sent without reading its answers until
 * all are written (they pile up in the pipe); the call is answered once every ping was.
 */
let pingsAnswered = 0
let afterPings
function floodPings(answerCall) {
  lines.pause()
  for (let i = 0; i < pingFlood; i++) send({ jsonrpc: '2.0', id: `ping-${i}`, method: 'ping' })
  afterPings = answerCall
  queue.then(() => lines.resume())
}

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const message = JSON.parse(line)
  if (typeof message.id === 'string' && message.id.startsWith('ping-') && 'result' in message) {
    if (++pingsAnswered === pingFlood) afterPings()
    return
  }
  const answer = (result) => send({ jsonrpc: '2.0', id: message.id, result })
  switch (message.method) {
    case 'initialize':
      return answer({
        protocolVersion: message.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'raw-stdio-server', version: '1.0.0' },
      })
    case 'notifications/initialized':
      if (flood > 0) writeFlood()
      if (longLine > 0) writeLongLine()
      return
    case 'ping':
      return answer({})
    case 'tools/list':
      return answer({ tools: wireFaults ? faultyTools : [tool] })
    case 'tools/call':
      if (wireFaults) return callFaulty(message.params?.name, answer)
      if (pingFlood > 0) return floodPings(() => answer({ content: [{ type: 'text', text: 'pinged' }] }))
      if (unknownId) send({ jsonrpc: '2.0', id: 987654, result: { content: [] } })
      // A delay queued like a write: answers still leave in the order they were asked for.
      if (delayCall > 0) queue = queue.then(() => new Promise((resolve) => setTimeout(resolve, delayCall)))
      return answer({
        content: [{ type: 'text', text: resultBytes > 0 ? 'z'.repeat(resultBytes) : 'hello' }],
      })
    default:
      if (message.id !== undefined) {
        send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } })
      }
  }
})
// Leaves when its client does.
process.stdin.on('end', () => queue.then(() => process.exit(0)))
