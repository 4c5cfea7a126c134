#!/usr/bin/env bash
# Packs the library, installs the tarball into a fresh project with Vitest, and runs a user's test
# there: proves the published package (exports, bundled servers, declarations) works installed, and
# type-checks that test with the package's .d.ts files (skipLibCheck off) as a user's tsc would.
# Then the same in a CommonJS project made by `npm init -y`, and a project on Vitest 4.0 (from the
# registry), which must stop at config load with one clear error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
npm pack --silent --pack-destination "$work" >/dev/null
vitest_version=$(node -p "require('./node_modules/vitest/package.json').version")
typescript_version=$(node -p "require('./node_modules/typescript/package.json').version")
types_node_version=$(node -p "require('./node_modules/@types/node/package.json').version")
cd "$work"
printf '{ "name": "consumer", "type": "module", "private": true }\n' > package.json
npm install --silent --no-audit --no-fund --prefer-offline ./vitest-mcp-host-*.tgz "vitest@$vitest_version" \
  "typescript@$typescript_version" "@types/node@$types_node_version"
mkdir test
cat > test/user.test.ts <<'TEST'
import { test as base, expect } from 'vitest'
import { type HostManagerFixtures, hostManager } from 'vitest-mcp-host'
import { misbehavingServer, weatherServer } from 'vitest-mcp-host/servers'

const test = base.extend<HostManagerFixtures>({
  hostManager: hostManager({ servers: { weather: weatherServer(), slow: misbehavingServer('slow-start', { delayMs: 50 }) } }),
})

test('the installed package starts its bundled servers and routes a call', async ({ hostManager }) => {
  const result = await hostManager.callTool('weather_lookup', { location: 'Tokyo' }, { server: 'weather' })
  expect(result).toContainToolText('Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%')
  expect(hostManager.server('slow').state).toBe('ready')
})
TEST
# Each entry point is bundled on its own: the plugin's setup file and the test's import are two copies
# of the code. These two pass (with warnings) only if the copies share the harness's state: the
# plugin's settings, the hosts alive, the test each host works for.
cat > test/shared-state.test.ts <<'TEST'
import { test as base } from 'vitest'
import { HostManager, type HostManagerFixtures, hostManager } from 'vitest-mcp-host'
import { misbehavingServer, weatherServer } from 'vitest-mcp-host/servers'

const test = base.extend<HostManagerFixtures>({ hostManager: hostManager({ servers: { hang: misbehavingServer('hang') } }) })

test('starts a host and never shuts it down', async () => {
  await HostManager.start({ servers: { weather: weatherServer() } })
})

test('leaves a request pending on its fixture host', async ({ hostManager }) => {
  void hostManager.callTool('weather_lookup', { location: 'Paris' }).catch(() => {})
})
TEST
# Each entry point carries its own copy of the error classes: `instanceof` holds across them (a brand
# per class, src/scope/class-brand.ts). The plugin entry's ConfigError against the main entry's class.
cat > test/brands.test.ts <<'TEST'
import { expect, test } from 'vitest'
import { ConfigError, HostManager, NotOfferedError, ToolNotFoundError } from 'vitest-mcp-host'
import { mcpHost } from 'vitest-mcp-host/plugin'
import { weatherMemoryServer } from 'vitest-mcp-host/servers'

test('errors are instanceof their class across entry points, plain errors are not', async () => {
  let thrown: unknown
  try {
    mcpHost({ leaks: 'sometimes' as 'warn' })
  } catch (error) {
    thrown = error
  }
  const PluginConfigError = (thrown as Error).constructor as typeof ConfigError
  expect(PluginConfigError).not.toBe(ConfigError)
  expect(thrown).toBeInstanceOf(ConfigError)
  expect(new ConfigError([{ path: 'servers.x.command', message: 'expected a non-empty string' }])).toBeInstanceOf(
    PluginConfigError,
  )
  expect(new Error('plain')).not.toBeInstanceOf(ConfigError)
  expect(new Error('plain')).not.toBeInstanceOf(PluginConfigError)

  const host = await HostManager.start({ servers: { weather: weatherMemoryServer() } })
  const notFound = await host.callTool('no_such_tool').catch((error: unknown) => error)
  await host.shutdown()
  expect(notFound).toBeInstanceOf(ToolNotFoundError)
  expect(notFound).toBeInstanceOf(NotOfferedError)
  expect(notFound).not.toBeInstanceOf(PluginConfigError)
})
TEST
cat > vitest.config.ts <<'CONFIG'
import { defineConfig } from 'vitest/config'
import { mcpHost } from 'vitest-mcp-host/plugin'

export default defineConfig({ plugins: [mcpHost({ leaks: 'warn', processes: 'error', teardownTimeout: 5_000 })] })
CONFIG
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "strict": true,
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "skipLibCheck": false,
    "noEmit": true
  },
  "include": ["test", "vitest.config.ts"]
}
JSON
npx tsc -p tsconfig.json
npx vitest run --reporter=default --reporter=json --outputFile.json=report.json
node -e '
  const tests = require("./report.json").testResults.flatMap((f) => f.assertionResults)
  const byName = Object.fromEntries(tests.map((t) => [t.title, t]))
  const expect = (ok, what) => { if (!ok) { console.error("check-pack: " + what); process.exit(1) } }
  expect(tests.length === 4 && tests.every((t) => t.status === "passed"), "expected 4 passed tests")
  for (const [name, leak] of [
    ["starts a host and never shuts it down", /host "host" \(never shut down; shut down now\), created at test\/shared-state\.test\.ts:\d+/],
    ["leaves a request pending on its fixture host", /request "tools\/call weather_lookup" \(still pending after \d+ ms\), created at test\/shared-state\.test\.ts:\d+/],
  ]) {
    const warnings = byName[name]?.meta?.mcpHost?.warnings ?? []
    expect(warnings.length === 1 && leak.test(warnings[0]), `"${name}": expected one warning matching ${leak}, got ${JSON.stringify(warnings)}`)
  }
  console.log("check-pack: the plugin and the package share their state (warnings as configured)")
'

# A CommonJS project, as `npm init -y` makes it ("type": "commonjs"): Vite bundles its config to
# CommonJS and require()s what it imports, so each entry point must resolve under `require` (the
# exports' "default" condition: Node >= 20.19, which Vitest 4 needs anyway, require()s ES modules).
# Its config in the two forms such projects write: ES syntax in vitest.config.ts, require() in .cjs.
mkdir "$work/cjs" && cd "$work/cjs"
npm init -y >/dev/null
node -e 'if (require("./package.json").type !== "commonjs") { console.error("check-pack: npm init -y made no CommonJS project"); process.exit(1) }'
npm install --silent --no-audit --no-fund --prefer-offline "$work"/vitest-mcp-host-*.tgz "vitest@$vitest_version" \
  "typescript@$typescript_version" "@types/node@$types_node_version"
mkdir test
cat > test/weather.test.ts <<'TEST'
import { test as base, expect } from 'vitest'
import { HostManager, type HostManagerFixtures, hostManager } from 'vitest-mcp-host'
import { weatherServer } from 'vitest-mcp-host/servers'

const test = base.extend<HostManagerFixtures>({ hostManager: hostManager({ servers: { weather: weatherServer() } }) })

test('a CommonJS project runs the fixture under the plugin', async ({ hostManager }) => {
  expect(await hostManager.callTool('weather_lookup', { location: 'London' })).toContainToolText('Rainy')
})

// Only the plugin sees this leak (its per-test check): a warning here proves it was loaded.
test('the plugin checks this project too', async () => {
  await HostManager.start({ servers: { weather: weatherServer() } })
})
TEST
cat > vitest.config.ts <<'CONFIG'
import { defineConfig } from 'vitest/config'
import { mcpHost } from 'vitest-mcp-host/plugin'

export default defineConfig({ plugins: [mcpHost({ leaks: 'warn' })] })
CONFIG
cat > vitest.config.cjs <<'CONFIG'
const { defineConfig } = require('vitest/config')
const { mcpHost } = require('vitest-mcp-host/plugin')

module.exports = defineConfig({ plugins: [mcpHost({ leaks: 'warn' })] })
CONFIG
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "strict": true, "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "types": ["node"], "skipLibCheck": false, "noEmit": true
  },
  "include": ["test", "vitest.config.ts"]
}
JSON
npx tsc -p tsconfig.json
for config in vitest.config.ts vitest.config.cjs; do
  VITE_CONFIG_NATIVE_IGNORE_WARNING=true npx vitest run --config "$config" --reporter=json --outputFile.json=report.json
  node -e '
    const report = require("./report.json")
    const tests = report.testResults.flatMap((f) => f.assertionResults)
    const warnings = tests.map((t) => t.meta?.mcpHost?.warnings ?? [])
    const leak = /host "host" \(never shut down; shut down now\), created at test\/weather\.test\.ts:\d+/
    if (tests.length !== 2 || !tests.every((t) => t.status === "passed") || warnings[0].length !== 0 ||
        warnings[1].length !== 1 || !leak.test(warnings[1][0])) {
      console.error(`check-pack: ${process.argv[1]}: expected 2 passed tests, the second warned of its leak by the plugin, got ${JSON.stringify(tests.map((t) => [t.title, t.status, t.meta]))}`)
      process.exit(1)
    }
    console.log(`check-pack: a CommonJS project loads the plugin from ${process.argv[1]}`)
  ' "$config"
done

# Vitest 4.0 has no `aroundEach`: the plugin must stop the run once, at config load, naming the
# version found and the one needed (not one raw SyntaxError per test file). npm refuses the peer
# range, as it would for a user, unless told otherwise.
mkdir "$work/vitest40" && cd "$work/vitest40"
printf '{ "name": "vitest40", "type": "module", "private": true }\n' > package.json
npm install --silent --no-audit --no-fund --prefer-offline --legacy-peer-deps "$work"/vitest-mcp-host-*.tgz 'vitest@~4.0.0'
old_version=$(node -p "require('vitest/package.json').version")
mkdir test
cp "$work/cjs/test/weather.test.ts" test/
cp "$work/vitest.config.ts" .
if npx vitest run >out.txt 2>&1; then
  cat out.txt; echo "check-pack: Vitest $old_version ran although the plugin needs 4.1"; exit 1
fi
if ! grep -q "ConfigError: vitest: version $old_version found; vitest-mcp-host needs Vitest ^4.1.0 || ^5.0.0" out.txt ||
  grep -q 'does not provide an export named' out.txt; then
  cat out.txt; echo "check-pack: Vitest $old_version: expected one ConfigError at config load"; exit 1
fi
echo "check-pack: Vitest $old_version stops at config load with a ConfigError naming the versions"
