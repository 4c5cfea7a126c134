// A worker server whose tools reach `fs` every way a module can hold it (fs-holders/): `read` and
// `write` answer what that way did, `env-file` what process.loadEnvFile read, `binding` what
// process.binding('fs') did.
import { createRequire } from 'node:module'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import * as z from 'zod/v4'
import { cjsWays } from './fs-holders/cjs.cjs'
import { esmWays } from './fs-holders/esm.mjs'

// The same CommonJS module again, this time loaded by require() (evaluated anew).
const require = createRequire(import.meta.url)
const cjsFile = require.resolve('./fs-holders/cjs.cjs')
delete require.cache[cjsFile]
const required = require(cjsFile).cjsWays
const ways = {
  ...esmWays,
  ...Object.fromEntries(Object.entries(cjsWays).map(([way, use]) => [`${way} [imported]`, use])),
  ...Object.fromEntries(Object.entries(required).map(([way, use]) => [`${way} [required]`, use])),
}

const text = (value) => ({ content: [{ type: 'text', text: value }] })
const outcome = async (run) => {
  try {
    return text(`ok ${(await run()) ?? ''}`.trimEnd())
  } catch (error) {
    return text(`${error.code ?? error.name}`)
  }
}

export function fsHolders() {
  const server = new McpServer({ name: 'fs-holders', version: '1.0.0' })
  server.registerTool('ways', {}, () => text(JSON.stringify(Object.keys(ways))))
  server.registerTool('read', { inputSchema: { way: z.string(), path: z.string() } }, ({ way, path }) =>
    outcome(() => ways[way].read(path)),
  )
  server.registerTool(
    'write',
    { inputSchema: { way: z.string(), path: z.string(), content: z.string() } },
    ({ way, path, content }) => outcome(() => ways[way].write(path, content)),
  )
  server.registerTool('env-file', { inputSchema: { path: z.string() } }, ({ path }) =>
    outcome(() => {
      process.loadEnvFile(path)
      return process.env.FROM_ENV_FILE
    }),
  )
  server.registerTool('binding', {}, () => {
    try {
      return text(`ok ${typeof process.binding('fs').open}`)
    } catch (error) {
      return text(error.message)
    }
  })
  return server
}
