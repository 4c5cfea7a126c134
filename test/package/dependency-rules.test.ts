// The import rules of scripts/dependency-cruiser*.cjs hold for src/, and each can fail: a small tree
// breaking every rule once is cruised with the same configs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { cruise, type ICruiseResult } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'
import { afterAll, describe, expect, test } from 'vitest'

const ROOT = path.resolve('.')
const CONFIGS = ['scripts/dependency-cruiser.cjs', 'scripts/dependency-cruiser-runtime.cjs']

/** The violations (`rule: from → to`) of cruising `src` under `baseDir` with `config`. */
async function violations(config: string, baseDir = ROOT): Promise<string[]> {
  const options = await extractDepcruiseOptions(path.join(ROOT, config))
  const { output } = await cruise(['src'], { ...options, baseDir, validate: true }, undefined, {
    tsConfig: extractTSConfig(path.join(ROOT, 'tsconfig.json')),
  })
  const result = output as ICruiseResult
  return (result.summary.violations ?? []).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
}

describe('the import rules', () => {
  for (const config of CONFIGS) {
    test(`src/ breaks none of ${config}`, async () => {
      expect(await violations(config)).toEqual([])
    }, 60_000)
  }

  // Inside the repository, so that zod and vitest resolve from its node_modules.
  const tree = mkdtempSync(path.join(ROOT, '.dependency-rules-'))
  afterAll(() => rmSync(tree, { recursive: true, force: true }))
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(tree, file)), { recursive: true })
    writeFileSync(path.join(tree, file), text)
  }
  write('src/scope/low.ts', "import type { High } from '../host/high.js'\nexport type Low = High\n")
  write('src/host/high.ts', 'export type High = number\n')
  write('src/launchers/a.ts', "import { b } from './b.js'\nexport const a = () => b\n")
  write('src/launchers/b.ts', "import { a } from './a.js'\nexport const b = () => a\n")
  write('src/host/tested.ts', "import { expect } from 'vitest'\nexport const e = expect\n")
  write('src/plugin/worker/setup.ts', "export const load = () => import('../../host/heavy.js')\n")
  write('src/host/heavy.ts', "import { z } from 'zod'\nexport const schema = z.string()\n")

  test('a tree breaking each rule once is caught by each, with its modules', async () => {
    const found = [
      ...(await violations(CONFIGS[0] as string, tree)),
      ...(await violations(CONFIGS[1] as string, tree)),
    ]
    expect(found).toEqual(
      expect.arrayContaining([
        'upward-from-scope: src/scope/low.ts → src/host/high.ts',
        expect.stringMatching(/^no-circular: src\/launchers\/(a|b)\.ts → src\/launchers\/(a|b)\.ts$/),
        expect.stringMatching(
          /^vitest-only-in-test-facing-parts: src\/host\/tested\.ts → .*node_modules\/vitest\//,
        ),
        expect.stringMatching(
          /^setup-file-stays-light: src\/plugin\/worker\/setup\.ts → .*node_modules\/zod\//,
        ),
      ]),
    )
  }, 60_000)
})
