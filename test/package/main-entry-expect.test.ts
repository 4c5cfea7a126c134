// Importing the main entry leaves Vitest's `expect` as it is (issue 26 §1): a program that only uses
// HostManager gets no matchers it did not ask for; `vitest-mcp-host/matchers` registers them. This
// file imports neither the matchers nor the plugin (the repository's own config has no setup file),
// and Vitest runs each test file in a fresh worker: what it sees is what its imports did.
import { chai, expect, test } from 'vitest'

const registered = (name: string) => Object.hasOwn(chai.Assertion.prototype, name)
const OURS = [
  'toContainToolText',
  'toHaveTool',
  'toMatchToolResponse',
  'toHaveCalledTool',
  'toMatchSurfaceSnapshot',
]

test('the main entry registers no matcher; the matchers entry registers every one', async () => {
  const main = await import('../../src/index.js')
  expect(main.HostManager).toBeTypeOf('function')
  expect(OURS.filter(registered)).toEqual([])
  await import('../../src/matchers/index.js')
  expect(OURS.filter(registered)).toEqual(OURS)
  expect({ content: [{ type: 'text', text: 'ok' }] }).toContainToolText('ok')
})
