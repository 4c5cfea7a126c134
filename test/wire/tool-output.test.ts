// structuredContent against the tool's outputSchema (from the tools/list result the checker saw),
// isError results, and the text copy, on recorded real traffic broken on purpose.
import { describe, expect, test } from 'vitest'
import { createWireChecker, type Violation } from '../../src/wire/check/index.js'
import { at, check, type Entry, feed, responseIndex, traffic } from './replay.js'

type Message = Record<string, unknown>
const structuredOf = (t: Entry[], tool: string) =>
  at(t, responseIndex(t, 'tools/call', tool)).result as Message

describe('tool output', () => {
  test("tool.output-schema: server-everything's structured result with a string temperature", () => {
    const t = traffic('everything-legacy')
    const result = structuredOf(t, 'get-structured-content')
    ;(result.structuredContent as Message).temperature = '36'
    // keep the text copy in step, so only the schema rule is broken
    ;(result.content as Array<{ text: string }>)[0] = {
      type: 'text',
      text: JSON.stringify(result.structuredContent),
    } as never
    expect(check(t)).toEqual([
      expect.objectContaining({
        rule: 'tool.output-schema',
        severity: 'error',
        direction: 'server',
        method: 'tools/call get-structured-content',
        path: 'result.structuredContent.temperature',
        message: "structuredContent does not match the tool's outputSchema: must be number",
        spec: 'https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema',
      }),
    ])
  })

  test('tool.output-schema: a tool with an outputSchema returning no structuredContent', () => {
    const t = traffic('v2-modern')
    delete structuredOf(t, 'weather').structuredContent
    expect(check(t).map((v) => [v.rule, v.method, v.path])).toEqual([
      ['tool.output-schema', 'tools/call weather', 'result.structuredContent'],
    ])
  })

  test('an isError result is not held to the outputSchema', () => {
    const t = traffic('v2-modern')
    const result = structuredOf(t, 'weather')
    delete result.structuredContent
    result.isError = true
    expect(check(t)).toEqual([])
  })

  test('tool.structured-content-text (warn): structuredContent without its JSON in a text block', () => {
    const t = traffic('v2-legacy')
    structuredOf(t, 'weather').content = [{ type: 'text', text: 'Rainy in London' }]
    expect(check(t).map((v) => [v.rule, v.severity])).toEqual([['tool.structured-content-text', 'warn']])
  })

  test('tool.structured-content-type: an array is no structuredContent on 2025-11-25, and is on 2026-07-28', () => {
    const legacy = traffic('v2-legacy')
    Object.assign(structuredOf(legacy, 'echo'), {
      structuredContent: [1, 2],
      content: [{ type: 'text', text: '[1,2]' }],
    })
    expect(check(legacy).map((v) => v.rule)).toEqual(['tool.structured-content-type'])
    const modern = traffic('v2-modern')
    Object.assign(structuredOf(modern, 'echo'), {
      structuredContent: [1, 2],
      content: [{ type: 'text', text: '[1,2]' }],
    })
    expect(check(modern)).toEqual([])
  })

  test('outputSchemas option: the caller knows a tool schema the checker did not see listed', () => {
    const t = traffic('v2-modern')
    const result = structuredOf(t, 'echo')
    Object.assign(result, { structuredContent: { text: 5 }, content: [{ type: 'text', text: '{"text":5}' }] })
    const found: Violation[] = []
    const schema = { type: 'object', properties: { text: { type: 'string' } } }
    feed(
      createWireChecker({
        server: 's',
        outputSchemas: (tool) => (tool === 'echo' ? schema : undefined),
        report: (v) => found.push(v),
      }),
      t,
    )
    expect(found.map((v) => [v.rule, v.path])).toEqual([
      ['tool.output-schema', 'result.structuredContent.text'],
    ])
  })

  test('unlistedOutput: a structured result before any listing is checked once the tools are listed', () => {
    const found: Violation[] = []
    const deferred: Array<() => void> = []
    const checker = createWireChecker({
      server: 's',
      revision: '2025-11-25',
      // A session cut to the tool traffic: no initialize.
      ignore: ['lifecycle.initialize-first'],
      unlistedOutput: (check) => deferred.push(check),
      report: (v) => found.push(v),
    })
    const out = (message: Message) => checker.outbound({ dir: 'out', message: message as never, at: 0 })
    const into = (message: Message) => checker.inbound({ dir: 'in', message: message as never, at: 0 })
    const call = (id: number) => {
      out({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'add', arguments: {} } })
      into({
        jsonrpc: '2.0',
        id,
        result: { content: [{ type: 'text', text: '{"sum":"five"}' }], structuredContent: { sum: 'five' } },
      })
    }
    call(1)
    expect([found, deferred.length]).toEqual([[], 1])
    out({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} })
    const outputSchema = { type: 'object', properties: { sum: { type: 'number' } } }
    into({
      jsonrpc: '2.0',
      id: 2,
      result: { tools: [{ name: 'add', inputSchema: { type: 'object' }, outputSchema }] },
    })
    deferred[0]?.()
    expect(found.map((v) => [v.rule, v.path])).toEqual([
      ['tool.output-schema', 'result.structuredContent.sum'],
    ])
    // Listed now: the next result is checked as it arrives, nothing deferred.
    call(3)
    expect([found.length, deferred.length]).toEqual([2, 1])
  })
})
