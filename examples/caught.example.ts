// Bugs the harness catches. Each of these tests has a body that passes, and still FAILS, because
// of what it leaves behind. `npm run demo` checks that exactly these fail, with these errors.
import { test as base, expect } from 'vitest'
import { type HostManagerFixtures, hostManager } from 'vitest-mcp-host'
import { misbehavingServer, weatherServer } from 'vitest-mcp-host/servers'

const test = base.extend<HostManagerFixtures>({
  hostManager: hostManager({
    servers: { weather: weatherServer(), stuck: misbehavingServer('hang') },
  }),
})

test('leaked request: a call that is never awaited', async ({ hostManager }) => {
  // The bug: fire-and-forget. The server never answers; the test ends with the request pending.
  void hostManager.callTool('weather_lookup', { location: 'Paris' }, { server: 'stuck' })
  expect(hostManager.server('stuck').state).toBe('ready')
})

test('cross-context close: closing the SDK client yourself', async ({ hostManager }) => {
  const client = hostManager.client('weather')
  // The bug: the host owns this client. Closing it here is the JS form of Python's
  // "Attempted to exit cancel scope in a different task". Swallowing the error does not hide it.
  await client.close().catch(() => {})
  expect(hostManager.server('weather').state).toBe('exited')
})

const withGrandchild = base.extend<HostManagerFixtures>({
  hostManager: hostManager({ servers: { forky: misbehavingServer('grandchild') } }),
})

withGrandchild('grandchild left behind by a server', async ({ hostManager }) => {
  // The bug is in the server: it starts a child process and exits without stopping it.
  expect(await hostManager.callTool('weather_lookup', { location: 'London' })).toContainToolText('Rainy')
})
