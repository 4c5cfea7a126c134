// Where a run's CPU went: V8 `.cpuprofile` files (node --cpu-prof) summed by who owns the code.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** Buckets in the order they are tried: the first whose test matches a frame's url (or name) wins. */
const BUCKETS = [
  ['idle', (url, name) => name === '(idle)'],
  ['garbage collector', (url, name) => name === '(garbage collector)'],
  ['program (native, unattributed)', (url, name) => name === '(program)'],
  ['example servers (the weather bundle)', (url) => url.includes('/example-servers/')],
  ['vitest-mcp-host (ours)', (url) => url.includes('/vitest-mcp-host/dist/')],
  ['zod', (url) => url.includes('/node_modules/zod/')],
  ['ajv', (url) => /\/node_modules\/ajv[^/]*\//.test(url)],
  ['MCP SDK v1', (url) => url.includes('/@modelcontextprotocol/sdk/')],
  ['MCP SDK v2', (url) => /\/@modelcontextprotocol\/(client|core|server)\//.test(url)],
  [
    'vitest / vite',
    (url) => /\/node_modules\/(vitest|vite|@vitest|tinypool|tinyspy|chai|@jridgewell)/.test(url),
  ],
  ['test files', (url) => url.includes('.test.ts')],
  ['node internals', (url) => url.startsWith('node:') || url === ''],
  ['other', () => true],
]

function bucketOf(frame) {
  const url = frame.url ?? ''
  return BUCKETS.find(([, test]) => test(url, frame.functionName))[0]
}

/**
 * Self time in ms per bucket, summed over every `.cpuprofile` in `dir`, and the `top` functions of
 * our own code by self time (`name file:line`).
 */
export function summarizeProfiles(dir, top = 12) {
  const buckets = new Map()
  const ours = new Map()
  let files = 0
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    files++
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'))
    const byId = new Map(profile.nodes.map((node) => [node.id, node]))
    const self = new Map()
    // samples[i] ran for timeDeltas[i + 1] µs (the delta before the next sample); the last one is dropped.
    for (let i = 0; i < profile.samples.length - 1; i++)
      self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + profile.timeDeltas[i + 1])
    for (const [id, micros] of self) {
      const frame = byId.get(id).callFrame
      const bucket = bucketOf(frame)
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros / 1000)
      if (bucket === 'vitest-mcp-host (ours)') {
        const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*\/vitest-mcp-host\/dist\//, '')}:${frame.lineNumber + 1}`
        ours.set(key, (ours.get(key) ?? 0) + micros / 1000)
      }
    }
  }
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1])
  return { files, buckets: sorted(buckets), ours: sorted(ours).slice(0, top) }
}
