// The one wire tap: every message both ways, responses paired with their requests once, the landed
// version, 'consume', unanswered requests at close, a throwing listener that costs no message, the
// host's own requests and deliveries (the 2026-07-28 tasks follower's), and the request a response
// answered known to what its handling does later (answeredRequest()).
import { InMemoryTransport, type JSONRPCMessage } from '@modelcontextprotocol/client'
import { serveStdio } from '@modelcontextprotocol/server/stdio'
import { expect, test } from 'vitest'
import { answeredRequest, HOST_REQUEST_ID_PREFIX, WireTap } from '../../src/wire/tap.js'
import type { PendingRequest, WireEvent } from '../../src/wire/tap-types.js'
import { makeV2Server } from './fixtures/v2-server.mjs'
import { hostClient } from './live.js'

test.for(['legacy', '2026-07-28'] as const)(
  'a v2 client through the tap on %s: each message seen once each way, responses paired, era told',
  async (revision) => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
    const served = serveStdio(() => makeV2Server(), { transport: serverSide })
    const tap = new WireTap(clientSide)
    const events: WireEvent[] = []
    const eras: string[] = []
    tap.listen({
      inbound: (e) => void events.push(e),
      outbound: (e) => void events.push(e),
      era: (v) => void eras.push(v),
    })
    const client = hostClient(revision === 'legacy' ? 'legacy' : { pin: revision })
    try {
      await client.connect(tap)
      const tools = await client.listTools()
      expect(tools.tools.length).toBeGreaterThan(0)
      const list = events.find((e) => e.dir === 'in' && e.request?.method === 'tools/list')
      expect(list?.request?.origin).toBe('client')
      expect(eras).toEqual([revision === 'legacy' ? '2025-11-25' : '2026-07-28'])
      // Every response that came in answered a request that went out (no unpaired ones).
      const responses = events.filter((e) => e.dir === 'in' && !('method' in e.message))
      expect(responses.every((e) => e.request !== undefined)).toBe(true)
      // The server's own request (elicitation on 2025-11-25) is paired with the client's answer.
      await client.callTool({ name: 'confirm', arguments: {} })
      if (revision === 'legacy') {
        const answer = events.find((e) => e.dir === 'out' && e.request?.method === 'elicitation/create')
        expect(answer?.request?.origin).toBe('server')
      }
      expect(tap.pending()).toEqual([])
    } finally {
      await client.close()
      await served.close()
    }
  },
)

test("'consume' keeps an inbound message from the client; later listeners still see it", async () => {
  const [ours, theirs] = InMemoryTransport.createLinkedPair()
  const tap = new WireTap(ours)
  const seenAfter: JSONRPCMessage[] = []
  const delivered: JSONRPCMessage[] = []
  tap.listen({
    inbound: (e) => ('method' in e.message && e.message.method === 'hidden' ? 'consume' : undefined),
  })
  tap.listen({ inbound: (e) => void seenAfter.push(e.message) })
  tap.onmessage = (m) => void delivered.push(m)
  await tap.start()
  await theirs.start()
  await theirs.send({ jsonrpc: '2.0', method: 'hidden' })
  await theirs.send({ jsonrpc: '2.0', method: 'shown' })
  expect(seenAfter.map((m) => ('method' in m ? m.method : ''))).toEqual(['hidden', 'shown'])
  expect(delivered.map((m) => ('method' in m ? m.method : ''))).toEqual(['shown'])
  await tap.close()
})

test("the host's own requests: origin 'host', the send options seen; deliver() reaches the client only, never once closed", async () => {
  const [ours, theirs] = InMemoryTransport.createLinkedPair()
  const tap = new WireTap(ours)
  const seen: WireEvent[] = []
  const delivered: JSONRPCMessage[] = []
  tap.listen({ inbound: (e) => void seen.push(e), outbound: (e) => void seen.push(e) })
  tap.onmessage = (m) => void delivered.push(m)
  await tap.start()
  await theirs.start()
  const requestSignal = new AbortController().signal
  await tap.send({ jsonrpc: '2.0', id: 1, method: 'tools/call' }, { requestSignal })
  await tap.send({ jsonrpc: '2.0', id: `${HOST_REQUEST_ID_PREFIX}1`, method: 'tasks/get' })
  expect(seen.map((e) => e.sendOptions?.requestSignal === requestSignal)).toEqual([true, false])
  expect(tap.pending().map((r) => [r.id, r.origin])).toEqual([
    [1, 'client'],
    [`${HOST_REQUEST_ID_PREFIX}1`, 'host'],
  ])
  tap.deliver({ jsonrpc: '2.0', id: 1, result: { content: [] } })
  expect(delivered).toEqual([{ jsonrpc: '2.0', id: 1, result: { content: [] } }])
  // Unseen by the listeners (they saw what the server did send), and the request not paired by it.
  expect(seen).toHaveLength(2)
  await tap.close()
  tap.deliver({ jsonrpc: '2.0', id: 2, result: {} })
  expect(delivered).toHaveLength(1)
})

test('close hands every unanswered request, both ways, to the listeners once', async () => {
  const [ours, theirs] = InMemoryTransport.createLinkedPair()
  const tap = new WireTap(ours)
  const closes: PendingRequest[][] = []
  tap.listen({ close: (p) => void closes.push([...p]) })
  let closed = 0
  tap.onclose = () => void closed++
  await tap.start()
  await theirs.start()
  await tap.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
  await tap.send({ jsonrpc: '2.0', id: 2, method: 'ping' })
  await theirs.send({ jsonrpc: '2.0', id: 2, result: {} })
  await theirs.send({ jsonrpc: '2.0', id: 's1', method: 'roots/list' })
  await theirs.send({ jsonrpc: '2.0', id: 99, result: {} }) // never sent: no request, nothing forgotten
  expect(tap.pending().map((p) => [p.id, p.origin])).toEqual([
    [1, 'client'],
    ['s1', 'server'],
  ])
  await tap.close()
  expect(closed).toBe(1)
  expect(closes).toHaveLength(1)
  expect(closes[0]?.map((p) => p.method)).toEqual(['tools/list', 'roots/list'])
  expect(tap.pending()).toEqual([])
})

test('a listener that throws is reported and costs no message', async () => {
  const [ours, theirs] = InMemoryTransport.createLinkedPair()
  const reported: unknown[] = []
  const tap = new WireTap(ours, { onListenerError: (e) => void reported.push(e) })
  tap.listen({
    inbound: () => {
      throw new Error('listener bug')
    },
    outbound: () => {
      throw new Error('listener bug out')
    },
  })
  const delivered: JSONRPCMessage[] = []
  const received: JSONRPCMessage[] = []
  tap.onmessage = (m) => void delivered.push(m)
  theirs.onmessage = (m) => void received.push(m)
  await tap.start()
  await theirs.start()
  await theirs.send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } })
  await tap.send({ jsonrpc: '2.0', method: 'notifications/initialized' })
  expect(delivered).toHaveLength(1)
  expect(received).toHaveLength(1)
  expect(reported.map((e) => (e as Error).message)).toEqual(['listener bug', 'listener bug out'])
  await tap.close()
})

test("a response's handling, awaits later, knows the request it answered; nothing else does", async () => {
  const [ours, theirs] = InMemoryTransport.createLinkedPair()
  const tap = new WireTap(ours)
  const seen: Array<[string, unknown]> = []
  let later!: Promise<void>
  tap.onmessage = (m) => {
    const what = 'method' in m ? m.method : `response ${String('id' in m ? m.id : '')}`
    seen.push([what, answeredRequest()?.method])
    later = (async () => {
      await new Promise((resolve) => setImmediate(resolve))
      seen.push([`${what}, later`, answeredRequest()?.method])
    })()
  }
  await tap.start()
  await theirs.start()
  await tap.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask' } })
  await theirs.send({ jsonrpc: '2.0', id: 1, result: { content: [] } })
  await later
  await theirs.send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } })
  await later
  expect(seen).toEqual([
    ['response 1', 'tools/call'],
    ['response 1, later', 'tools/call'],
    ['notifications/message', undefined],
    ['notifications/message, later', undefined],
  ])
  expect(answeredRequest()).toBeUndefined()
  await tap.close()
})
