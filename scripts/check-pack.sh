#!/usr/bin/env bash
# Packs the library, installs the tarball into a fresh project with Vitest, and runs a user's test
# there: proves the published package (exports, types-free runtime, bundled servers) works installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
npm pack --silent --pack-destination "$work" >/dev/null
vitest_version=$(node -p "require('./node_modules/vitest/package.json').version")
cd "$work"
printf '{ "name": "consumer", "type": "module", "private": true }\n' > package.json
npm install --silent --no-audit --no-fund --prefer-offline ./vitest-mcp-host-*.tgz "vitest@$vitest_version"
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
npx vitest run
