import { createServer } from 'node:net'
import { expect, test } from 'vitest'
import { refusedAt } from '../../src/launchers/transports/http/loopback-port.js'

async function listening() {
  const server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}

test('refusedAt: a port nothing listens on is refused (ECONNREFUSED)', async () => {
  const server = await listening()
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  const refused = await refusedAt(port, 1000)
  expect((refused as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED')
})

test('refusedAt: a port something listens on is not refused', async () => {
  const server = await listening()
  try {
    expect(await refusedAt((server.address() as { port: number }).port, 1000)).toBeUndefined()
  } finally {
    server.close()
  }
})
