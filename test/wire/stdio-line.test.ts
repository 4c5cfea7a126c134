// stdio: a line on a server's stdout that is not JSON is a violation. Real: the bundled
// misbehaving server 'noisy-stdout' writes one after initialize; the transport hands such lines
// to the checker's nonJsonLine() instead of parsing them.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { expect, test } from 'vitest'
import { misbehavingServer } from '../../src/servers/index.js'
import { createWireChecker, type Violation } from '../../src/wire/check/index.js'

test('stdio.non-json-line: the noisy-stdout server writes a non-JSON line after initialize', async () => {
  const config = misbehavingServer('noisy-stdout')
  if (config.transport !== 'stdio') throw new Error('expected a stdio config')
  const child = spawn(config.command, config.args ?? [], { stdio: ['pipe', 'pipe', 'ignore'] })
  const found: Violation[] = []
  const checker = createWireChecker({ server: 'noisy', revision: '2025-11-25', report: (v) => found.push(v) })
  try {
    const lines = createInterface({ input: child.stdout })
    const send = (message: object) => {
      checker.outbound({ dir: 'out', message: message as never, at: 0 })
      child.stdin.write(`${JSON.stringify(message)}\n`)
    }
    send({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    })
    // Bounded by the test's timeout: the server writes the junk line right after initialize.
    for await (const line of lines) {
      let message: unknown
      try {
        message = JSON.parse(line)
      } catch {
        checker.nonJsonLine(line)
        break
      }
      checker.inbound({ dir: 'in', message: message as never, at: 0 })
      if ((message as { id?: unknown }).id === 0)
        send({ jsonrpc: '2.0', method: 'notifications/initialized' })
    }
  } finally {
    const exited = child.exitCode === null ? once(child, 'exit') : undefined
    child.kill('SIGKILL')
    await exited
  }
  expect(found).toEqual([
    expect.objectContaining({
      rule: 'stdio.non-json-line',
      severity: 'error',
      direction: 'server',
      server: 'noisy',
      spec: 'https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#stdio',
      excerpt: expect.stringMatching(/^".+"$/),
    }),
  ])
})
