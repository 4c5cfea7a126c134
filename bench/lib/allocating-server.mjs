// A worker server for bench/worker-memory.mjs: `allocate` holds `mb` MB of JS heap (1 MB double
// arrays) and answers how much it holds.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import * as z from 'zod/v4'

export default function allocatingServer() {
  const server = new McpServer({ name: 'allocating', version: '1.0.0' })
  const held = []
  server.registerTool('allocate', { inputSchema: { mb: z.number() } }, ({ mb }) => {
    for (let i = 0; i < mb; i++) held.push(new Array(2 ** 17).fill(0.5))
    return { content: [{ type: 'text', text: `holding ${held.length} MB` }] }
  })
  return server
}
