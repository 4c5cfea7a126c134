// The v2 stand-in server (server.mjs) on stdio, both protocol revisions, through the SDK's own
// `serveStdio` entry. It exits when its stdin ends and on SIGTERM, as a well-behaved stdio server.
import { serveStdio } from '@modelcontextprotocol/server/stdio'
import { createEverything, createStore } from './server.mjs'

const store = createStore()
const handle = serveStdio(({ era }) => createEverything(store, { era, forwardUpdates: true }), {
  onerror: (error) => process.stderr.write(`v2-everything: ${error.message}\n`),
})
const exit = () => {
  handle.close().catch(() => {})
  process.exit(0)
}
process.stdin.once('end', exit)
process.on('SIGTERM', exit)
process.stderr.write('v2-everything on stdio\n')
