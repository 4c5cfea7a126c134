// Guards what each entry point loads: every test file of a project with the plugin loads the setup
// file (and the matchers), so neither may reach the MCP SDK, zod or the host (issue 15: ~130 ms a file).
import { build } from 'esbuild'
import { describe, expect, test } from 'vitest'

/** Every module `entry` loads, statically or through import(), as paths relative to the repository. */
async function importGraph(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    // The runner provides vitest; it is loaded whatever the plugin does.
    external: ['vitest', 'vitest/*'],
    logLevel: 'silent',
  })
  return Object.keys(result.metafile.inputs)
}

const heavy = [/node_modules\/@modelcontextprotocol\//, /node_modules\/zod\//, /src\/host\/host-manager\.ts$/]

describe('import graphs', () => {
  for (const entry of ['src/plugin/worker/setup.ts', 'src/matchers/index.ts', 'src/plugin/index.ts']) {
    test(`${entry} loads neither the MCP SDK, nor zod, nor the host`, async () => {
      const graph = await importGraph(entry)
      expect(graph).toContain(entry)
      expect(graph.filter((path) => heavy.some((pattern) => pattern.test(path)))).toEqual([])
    })
  }

  test('the main entry does load them (the check above can see them)', async () => {
    const graph = await importGraph('src/index.ts')
    for (const pattern of heavy)
      expect(
        graph.some((path) => pattern.test(path)),
        String(pattern),
      ).toBe(true)
  })
})
