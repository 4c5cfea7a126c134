// The committed API reports (api/*.api.md, `npm run api:report`) show a surface with no internals and no
// forgotten exports. That they match the code is CI's `npm run api:check` (it needs a build); this
// guards what a regenerated report may contain, so a review cannot wave an internal through.
import { readdirSync, readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

const REPORTS = [
  'vitest-mcp-host.api.md',
  'vitest-mcp-host-matchers.api.md',
  'vitest-mcp-host-plugin.api.md',
  'vitest-mcp-host-servers.api.md',
]
const read = (file: string) => readFileSync(`api/${file}`, 'utf8')

/** Members of HostManager and Scope for the package's own use (marked @internal in src). */
const INTERNAL_MEMBERS = [
  'abandonRequests',
  'attribution',
  'cassettes',
  'disposeAsOwner',
  'disposing',
  'entries',
  'handOver',
  'kill',
  'openedAt',
  'openedIn',
  'pendingRequests',
  'requestsIdle',
  'resources',
  'timeline',
  'wireLedger',
  'HOST_BRAND',
  'SENT_TOOL_CALLS',
]

test('one report per entry point of package.json', () => {
  expect(readdirSync('api').sort()).toEqual([...REPORTS].sort())
})

test.for(REPORTS)('%s has no API Extractor warning (forgotten export, internal)', (file) => {
  expect(read(file)).not.toMatch(/\(ae-[a-z-]+\)|@internal/)
})

test('HostManager and Scope publish none of their internal members', () => {
  const report = read('vitest-mcp-host.api.md')
  const classBody = (name: string) => {
    const match = new RegExp(`^export class ${name} [^\\n]*\\{\\n([\\s\\S]*?)^\\}`, 'm').exec(report)
    if (!match?.[1]) throw new Error(`api/vitest-mcp-host.api.md has no class ${name}`)
    return match[1]
  }
  const members = (body: string) =>
    [...body.matchAll(/^ {4}(?:static |readonly |get |\[)*([\w$]+)/gm)].map((m) => m[1] as string)
  const published = [...members(classBody('HostManager')), ...members(classBody('Scope'))]
  expect(published).toEqual(expect.arrayContaining(['callTool', 'shutdown', 'adopt', 'close']))
  expect(published.filter((name) => INTERNAL_MEMBERS.includes(name))).toEqual([])
})
