// Record once against a real server, replay without it: same results on both revisions, the
// server's own requests (2025-11-25) and input_required rounds (2026-07-28) answered by the host's
// handlers, a request the recording lacks and a differing answer as CassetteMismatchError.
import { type CallToolResult, type Client } from '@modelcontextprotocol/client'
import { describe, expect, test } from 'vitest'
import { CassetteMismatchError } from '../../src/cassette/errors.js'
import { hostClient } from '../wire/live.js'
import { MODES, record, replay, v2Server } from './cassette-client.js'

const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text

async function session(client: Client) {
  const tools = (await client.listTools()).tools.map((t) => t.name)
  const echo = text(await client.callTool({ name: 'echo', arguments: { text: 'hello' } }))
  const confirm = text(await client.callTool({ name: 'confirm', arguments: {} }))
  const sample = text(await client.callTool({ name: 'sample', arguments: {} }))
  const roots = text(await client.callTool({ name: 'roots', arguments: {} }))
  return { tools, echo, confirm, sample, roots }
}

describe.for(MODES)('the v2 fixture server on $revision', ({ revision, mode }) => {
  test('replays what it recorded: results, revision, and the host handlers answer its questions', async () => {
    const { cassette, value } = await record(v2Server(), mode, session)
    expect(cassette.revision).toBe(revision)
    expect(value.confirm).toBe('confirmed {"yes":true,"name":"Ada"}')
    // On 2025-11-25 the server asks the host itself; on 2026-07-28 it answers input_required.
    const asks = cassette.messages.filter((m) => m.dir === 'in' && m.message.method === 'elicitation/create')
    const rounds = cassette.messages.filter(
      (m) =>
        m.dir === 'in' &&
        (m.message.result as { resultType?: string } | undefined)?.resultType === 'input_required',
    )
    expect([asks.length, rounds.length]).toEqual(revision === '2025-11-25' ? [1, 0] : [0, 3])
    const replayed = await replay(cassette, mode, async (client, transport) => {
      const again = await session(client)
      expect(transport.mismatches()).toEqual([])
      expect(transport.unused()).toEqual([])
      return again
    })
    expect(replayed).toEqual(value)
  })

  test('a request the recording lacks rejects with CassetteMismatchError naming the nearest and the difference', async () => {
    const { cassette } = await record(v2Server(), mode, (c) =>
      c.callTool({ name: 'echo', arguments: { text: 'hello' } }),
    )
    await replay(cassette, mode, async (client, transport) => {
      const error = await client
        .callTool({ name: 'echo', arguments: { text: 'bye' } })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CassetteMismatchError)
      const mismatch = error as CassetteMismatchError
      expect(mismatch.server).toBe('s')
      expect(mismatch.request).toEqual({
        method: 'tools/call',
        params: { arguments: { text: 'bye' }, name: 'echo' },
      })
      expect(mismatch.nearest).toEqual({
        method: 'tools/call',
        params: { arguments: { text: 'hello' }, name: 'echo' },
      })
      expect(mismatch.message).toContain('differs: arguments.text: "bye" (sent) ≠ "hello" (recorded)')
      expect(transport.mismatches()).toEqual([mismatch])
      // The recorded one still answers: order falls back to the first unused match.
      expect(text(await client.callTool({ name: 'echo', arguments: { text: 'hello' } }))).toBe('hello')
    })
  })

  test("the host answering the server's question differently fails with what differed", async () => {
    const { cassette } = await record(v2Server(), mode, (c) => c.callTool({ name: 'confirm', arguments: {} }))
    const other = hostClient(mode)
    other.setRequestHandler('elicitation/create', async () => ({ action: 'decline' }))
    await replay(
      cassette,
      mode,
      async (client) => {
        const error = await client.callTool({ name: 'confirm', arguments: {} }).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(CassetteMismatchError)
        // 2025-11-25: the answer to the server's request; 2026-07-28: the retried call's inputResponses.
        expect((error as Error).message).toMatch(
          revision === '2025-11-25'
            ? /result\.action: "decline" \(sent\) ≠ "accept"/
            : /inputResponses\.confirm\.action: "decline" \(sent\) ≠ "accept"/,
        )
      },
      { client: other },
    )
  })
})

test('key order, request ids and _meta do not take part in matching; order falls back to the first unused match', async () => {
  const mode = 'legacy' as const
  const { cassette } = await record(v2Server(), mode, async (c) => {
    await c.callTool({ name: 'echo', arguments: { text: 'a' } })
    await c.callTool({ name: 'echo', arguments: { text: 'b' } })
  })
  await replay(cassette, mode, async (client) => {
    // Out of order, with a progress token in _meta (and new request ids).
    const b = await client.callTool({ name: 'echo', arguments: { text: 'b' } }, { onprogress: () => {} })
    const a = await client.callTool({ name: 'echo', arguments: { text: 'a' } })
    expect([text(a), text(b)]).toEqual(['a', 'b'])
    // Each recorded request answers once.
    await expect(client.callTool({ name: 'echo', arguments: { text: 'a' } })).rejects.toThrow(
      /already used by an earlier request/,
    )
  })
})
