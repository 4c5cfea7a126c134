// The per-host tools/call record behind toHaveCalledTool: what it keeps from the wire, and its bound.
import { expect, test } from 'vitest'
import { MAX_KEPT_ARGUMENTS, SentCalls } from '../../src/host/records/sent-calls.js'

const at = 0

test('keeps each tools/call request sent, and nothing else', () => {
  const calls = new SentCalls()
  const tap = calls.listener('weather')
  tap.outbound?.({ dir: 'out', at, message: { jsonrpc: '2.0', id: 1, method: 'tools/list' } })
  tap.outbound?.({ dir: 'out', at, message: { jsonrpc: '2.0', method: 'notifications/initialized' } })
  tap.outbound?.({
    dir: 'out',
    at,
    message: {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'weather_lookup', arguments: { location: 'Oslo' } },
    },
  })
  tap.outbound?.({
    dir: 'out',
    at,
    message: { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ping' } },
  })
  expect(calls.list()).toEqual([
    { server: 'weather', name: 'weather_lookup', arguments: { location: 'Oslo' } },
    { server: 'weather', name: 'ping', arguments: undefined },
  ])
})

test(`beyond ${MAX_KEPT_ARGUMENTS} calls, counts them but drops their arguments`, () => {
  const calls = new SentCalls()
  const tap = calls.listener('weather')
  for (let id = 0; id <= MAX_KEPT_ARGUMENTS; id++) {
    tap.outbound?.({
      dir: 'out',
      at,
      message: { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { id } } },
    })
  }
  const list = calls.list()
  expect(list).toHaveLength(MAX_KEPT_ARGUMENTS + 1)
  expect(list[MAX_KEPT_ARGUMENTS - 1]?.arguments).toEqual({ id: MAX_KEPT_ARGUMENTS - 1 })
  expect(list[MAX_KEPT_ARGUMENTS]?.arguments).toBeUndefined()
})
