// The Vitest versions the plugin runs under, checked once when Vitest loads the config.
//
// The per-test setup file needs `aroundEach` (Vitest 4.1): under 4.0 every test file would fail on
// its own with a raw `SyntaxError: ... does not provide an export named 'aroundEach'`, and the only
// hint would be a package manager's peer warning. One error at config load says what to do instead.
import { ConfigError } from '../host/errors.js'

/** The package's peer range, as package.json states it. */
export const SUPPORTED_VITEST = '^4.1.0 || ^5.0.0'

/** Whether `version` (Vitest's own `x.y.z[-pre]`) has `aroundEach`: 4.1 or newer. Unparsable: assumed new. */
export function supportsVitest(version: string): boolean {
  const match = /^(\d+)\.(\d+)\./.exec(version)
  if (!match) return true
  const major = Number(match[1])
  const minor = Number(match[2])
  return major > 4 || (major === 4 && minor >= 1)
}

/** Throws a ConfigError naming the version found and the one needed, if Vitest is older than 4.1. */
export function assertVitestVersion(version: string): void {
  if (supportsVitest(version)) return
  const message =
    `version ${version} found; vitest-mcp-host needs Vitest ${SUPPORTED_VITEST} ` +
    '(it runs each test in aroundEach, added in Vitest 4.1). Update it: npm install -D vitest@^4.1'
  throw new ConfigError([{ path: 'vitest', message }], 'the Vitest version')
}
