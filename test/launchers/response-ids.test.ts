// Responses to ids no request had: the SDK drops them silently; the first one goes on the server's
// record. A late answer to a request the client gave up on is not one of them.
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import { expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { rejectionOf } from '../support/assertions.js'
import { rawStdioServer } from '../support/servers.js'
import { markEnv, markedServers } from './process-helpers.js'

const mark = markedServers()
const raw = (label: string, ...args: string[]) => rawStdioServer(args, markEnv(mark(label)))

const unknownIdEvents = (host: HostManager) =>
  (host.entries[0]?.timeline.events ?? []).filter((e) => e.event === 'unknown-response-id')

test('a response to an id no request had: the first one is in the timeline and the stderr tail', async () => {
  const host = await HostManager.start({ servers: { raw: raw('unknown-id', '--unknown-id') } })
  try {
    // The server answers every call twice: first to id 987654, then to the call's own id.
    expect(await host.callTool('echo', {})).toMatchObject({ content: [{ type: 'text', text: 'hello' }] })
    const line = '{"jsonrpc":"2.0","id":987654,"result":{"content":[]}}'
    expect(unknownIdEvents(host).map((e) => e.detail)).toEqual([`id 987654: ${line}`])
    expect(host.server('raw').stderr()).toContain(
      `[stdout, a response to id 987654, which no request had; dropped (later ones are not noted)] ${line}\n`,
    )
    await host.callTool('echo', {})
    expect(unknownIdEvents(host)).toHaveLength(1)
  } finally {
    await host.shutdown()
  }
})

test('a late answer to a request that timed out is not an unknown id', async () => {
  const host = await HostManager.start({ servers: { raw: raw('late', '--delay-call=300') } })
  try {
    const error = await rejectionOf(host.callTool('echo', {}, { timeout: 50 }))
    expect(error).toBeInstanceOf(SdkError)
    expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout)
    // Answered in order: once this one is back, the late answer to the first has arrived.
    expect(await host.callTool('echo', {}, { timeout: 10_000 })).toMatchObject({
      content: [{ text: 'hello' }],
    })
    expect(unknownIdEvents(host)).toEqual([])
    expect(host.server('raw').stderr()).not.toContain('which no request had')
  } finally {
    await host.shutdown()
  }
})
