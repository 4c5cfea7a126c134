// The bounded keepers of a server's output, in process: the timeline, the stderr tail, the line splitter,
// the SSE event meter.
import { expect, test } from 'vitest'
import { type DroppedLine, LineSplitter } from '../../src/launchers/output/line-splitter.js'
import { NoiseLog, shownLine } from '../../src/launchers/output/stdout-noise.js'
import { TailBuffer } from '../../src/launchers/output/tail-buffer.js'
import { DETAIL_MAX, Timeline } from '../../src/launchers/timeline.js'
import { SseEventMeter } from '../../src/launchers/transports/http/sse-events.js'

test('a timeline keeps its first 100 and last 400 events, every lifecycle event, and counts the rest', () => {
  const timeline = new Timeline()
  timeline.record('spawn', 'node server.js')
  timeline.record('state ready')
  for (let i = 0; i < 10_000; i++) timeline.record('request tools/call echo', `${i}`)
  timeline.record('state crashed')
  for (let i = 0; i < 10_000; i++) timeline.record('stdout-noise', `not JSON: ${i}`)
  timeline.record('exit', 'code 1')
  const events = timeline.events
  expect(events).toHaveLength(100 + 1 + 1 + 400)
  expect(timeline.dropped).toBe(20_004 - 501)
  expect(events.slice(0, 2).map((e) => e.event)).toEqual(['spawn', 'state ready'])
  expect(events[99]?.detail).toBe('97')
  // Pushed out of the last 400 by the noise after it, the crash is still there, in order.
  expect(events[100]?.event).toBe('state crashed')
  expect(events[101]).toMatchObject({
    event: 'dropped',
    detail: '19503 events not kept (the first 100 and the last 400 are, and every lifecycle event)',
  })
  expect(events.at(-2)?.detail).toBe('not JSON: 9999')
  expect(events.at(-1)).toMatchObject({ event: 'exit', detail: 'code 1' })
  const ats = events.map((e) => e.at)
  expect(ats).toEqual([...ats].sort((a, b) => a - b))
})

test('a timeline detail is cut to DETAIL_MAX characters, with the full length', () => {
  const timeline = new Timeline()
  timeline.record('stdout-noise', 'a'.repeat(1_000_000))
  expect(timeline.events[0]?.detail).toBe(`${'a'.repeat(DETAIL_MAX)}… (1000000 characters in all)`)
})

test('one stderr chunk over the limit keeps only its end', () => {
  const tail = new TailBuffer(1024)
  tail.push('start\n')
  tail.push(`${'b'.repeat(100_000)}\nlast line\n`)
  expect(tail.text()).toBe(
    `[… ${100_006 + 11 - 1024} earlier characters dropped]\n${'b'.repeat(1024 - 11)}\nlast line\n`,
  )
  expect(tail.tail(1)).toBe('last line')
})

test('junk lines: the latest 20 kept, all counted; a long one shown by its start and size', () => {
  const log = new NoiseLog()
  for (let i = 0; i < 1000; i++) log.push({ line: `${i}`, reason: 'not JSON', bytes: 3 })
  expect(log.count).toBe(1000)
  expect(log.recent.map((n) => n.line)).toEqual(Array.from({ length: 20 }, (_, i) => `${980 + i}`))
  expect(shownLine(Buffer.from('short line\r'))).toBe('short line')
  expect(shownLine(Buffer.from('é'.repeat(1000)))).toBe(`${'é'.repeat(200)}… (2000 bytes in all)`)
})

function splitter(max = 16) {
  const lines: string[] = []
  const dropped: DroppedLine[] = []
  const split = new LineSplitter(
    max,
    (line) => lines.push(line.toString('utf8')),
    (d) => dropped.push(d),
  )
  return { split, lines, dropped }
}

test('lines split across chunks, a character split across chunks, empty lines, a CR before the newline', () => {
  const { split, lines } = splitter()
  const euro = Buffer.from('€') // 3 bytes
  split.push(Buffer.from('ab'))
  split.push(Buffer.concat([Buffer.from('c\n\nd'), euro.subarray(0, 1)]))
  split.push(Buffer.concat([euro.subarray(1), Buffer.from('\r\nno newline yet')]))
  expect(lines).toEqual(['abc', '', 'd€\r'])
})

test('a line over the maximum is dropped when it crosses it, once; the next line is read', () => {
  const { split, lines, dropped } = splitter(16)
  split.push(Buffer.from('0123456789'))
  split.push(Buffer.from('0123456789'))
  split.push(Buffer.from('more of the same line'))
  split.push(Buffer.from(' and its end\nnext\n'))
  expect(dropped).toEqual([{ bytes: 20, head: Buffer.from('01234567890123456789') }])
  expect(lines).toEqual(['next'])
})

test('an SSE event is measured from the last blank line, whatever ends its lines and wherever chunks split', () => {
  const meter = new SseEventMeter()
  const push = (text: string) => meter.push(new TextEncoder().encode(text))
  // Two events of 13 bytes (12 + the blank line's LF), the size reached within the chunk.
  expect(push('data: 1234\n\ndata: 1234\n\n')).toBe(12)
  // CRLF split between chunks: its LF is no line of its own, so no blank line yet.
  expect(push('data: 12\r')).toBe(9)
  expect(push('\ndata: 34\r\n')).toBe(20)
  expect(push('\r\n')).toBe(21) // the blank line; its LF is the next event's first byte (sizes are within a byte)
  expect(push('data: x\r\r')).toBe(10) // CR alone ends lines too
  expect(push('more')).toBe(4)
  // Within a chunk: an event larger than what is left of the chunk after it is still reported.
  expect(push('\n\nevent: long one\n\nx')).toBe(17)
})

test('an endless SSE stream of small events never grows the measure', () => {
  const meter = new SseEventMeter()
  const chunk = new TextEncoder().encode('data: {"jsonrpc":"2.0","method":"n"}\n\n'.repeat(1000))
  let largest = 0
  for (let i = 0; i < 1000; i++) largest = Math.max(largest, meter.push(chunk))
  expect(largest).toBe(38)
})
