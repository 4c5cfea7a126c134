// Imports point one way (STYLE.md): fixtures, plugin → host, report → launchers → scope. Read from
// the sources, `import type` included (a type import is still a dependency of the design), so a
// module reaching up a layer, or two modules importing each other, fail here with their names.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'

const SRC = path.resolve('src')

/** Every module under src/ (relative, `.ts`) and the modules it imports (relative imports only). */
function sourceGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
  )
  for (const file of files) {
    const text = readFileSync(path.join(SRC, file), 'utf8')
    const imports = [...text.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)].map((m) =>
      path.join(path.dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')),
    )
    graph.set(file, imports)
  }
  return graph
}

/** How high each folder sits; a module may import its own folder and lower ones only. */
const LAYER: Record<string, number> = {
  scope: 0,
  'version.ts': 0,
  launchers: 1,
  wire: 1,
  host: 2,
  report: 2,
  servers: 2,
  matchers: 3,
  fixtures: 3,
  plugin: 4,
  'index.ts': 5,
}
const layerOf = (file: string) => LAYER[file.split(path.sep)[0] ?? ''] ?? Number.NaN

test('every folder of src/ has a layer', () => {
  const unknown = [...sourceGraph().keys()].filter((file) => Number.isNaN(layerOf(file)))
  expect(unknown).toEqual([])
})

test('no module imports from a layer above its own', () => {
  const upward: string[] = []
  for (const [file, imports] of sourceGraph()) {
    for (const target of imports) if (layerOf(target) > layerOf(file)) upward.push(`${file} → ${target}`)
  }
  expect(upward).toEqual([])
})

test('no two modules import each other, directly or through others', () => {
  const graph = sourceGraph()
  const cycles: string[] = []
  const done = new Set<string>()
  const path: string[] = []
  const visit = (file: string) => {
    path.push(file)
    for (const next of graph.get(file) ?? []) {
      const at = path.indexOf(next)
      if (at !== -1) cycles.push([...path.slice(at), next].join(' → '))
      else if (!done.has(next)) visit(next)
    }
    path.pop()
    done.add(file)
  }
  for (const file of graph.keys()) if (!done.has(file)) visit(file)
  expect(cycles).toEqual([])
})
