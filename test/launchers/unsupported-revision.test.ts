// A server that does not speak the host client's revision: the start fails with a ServerStartError
// naming the revisions it offered (its -32022 `data.supported`), not a bare protocol error; a server
// speaking only 2025-11-25 starts as any other. Real bundled servers over stdio.
import { describe, expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { CLIENT_REVISION, offeredRevisions, ServerStartError } from '../../src/launchers/errors.js'
import { misbehavingServer } from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'

describe('a server that speaks one revision', () => {
  test("modern-only: ServerStartError 'protocol' naming the revisions it offered and the client's", async () => {
    const error = await rejectionOf(
      HostManager.start({ servers: { modern: misbehavingServer('modern-only') } }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    const start = error as ServerStartError
    expect(start).toMatchObject({ server: 'modern', reason: 'protocol', offered: ['2026-07-28'] })
    expect(start.message.split('\n')[0]).toBe(
      'Server "modern" failed during initialize: Unsupported protocol version: 2025-11-25' +
        ` (it speaks 2026-07-28; this host's client speaks ${CLIENT_REVISION} only).`,
    )
  })

  test('legacy-only: starts, and lands on 2025-11-25', async () => {
    await using host = await HostManager.start({ servers: { legacy: misbehavingServer('legacy-only') } })
    expect(host.server('legacy').era).toBe('2025-11-25')
    expect(await host.callTool('weather_lookup', { location: 'Tokyo' })).toMatchObject({
      content: [{ type: 'text', text: 'Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%' }],
    })
  })
})

describe('offeredRevisions', () => {
  test.for([
    {
      what: 'a -32022 with data.supported',
      cause: { code: -32022, data: { supported: ['2026-07-28'] } },
      offered: ['2026-07-28'],
    },
    {
      what: 'another code',
      cause: { code: -32601, data: { supported: ['2026-07-28'] } },
      offered: undefined,
    },
    { what: 'no data', cause: { code: -32022 }, offered: undefined },
    { what: 'supported not strings', cause: { code: -32022, data: { supported: [1] } }, offered: undefined },
    { what: 'not an object', cause: 'boom', offered: undefined },
  ])('$what', ({ cause, offered }) => {
    expect(offeredRevisions(cause)).toEqual(offered)
  })
})
