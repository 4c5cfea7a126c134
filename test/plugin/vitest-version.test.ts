// The Vitest versions the plugin accepts at config load: 4.1 and newer (aroundEach), not 4.0.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../src/host/errors.js'
import { mcpHost } from '../../src/plugin/index.js'
import { assertVitestVersion, supportsVitest } from '../../src/plugin/vitest-version.js'

describe('supportsVitest', () => {
  test.for([
    ['4.1.0', true],
    ['4.1.12', true],
    ['5.1.2', true],
    ['4.2.0-beta.1', true],
    ['4.0.18', false],
    ['4.0.0-beta.3', false],
    ['3.2.4', false],
  ] as const)('%s: %s', ([version, supported]) => {
    expect(supportsVitest(version)).toBe(supported)
  })
})

test('Vitest 4.0 at config load: one ConfigError naming the version found and the one needed', () => {
  const error = (() => {
    try {
      assertVitestVersion('4.0.18')
    } catch (thrown) {
      return thrown
    }
  })()
  expect(error).toBeInstanceOf(ConfigError)
  expect((error as ConfigError).message).toBe(
    'vitest: version 4.0.18 found; vitest-mcp-host needs Vitest ^4.1.0 || ^5.0.0 (it runs each test in ' +
      'aroundEach, added in Vitest 4.1). Update it: npm install -D vitest@^4.1',
  )
})

test("the plugin's configureVitest checks the running Vitest before it touches the project", () => {
  const project = { config: { setupFiles: [] as string[] } }
  const vitest = { version: '4.0.18' }
  expect(() => mcpHost().configureVitest({ vitest, project } as never)).toThrow(ConfigError)
  expect(project.config.setupFiles).toEqual([])
})
