#!/usr/bin/env bash
# Packs the library, installs the tarball into a fresh project with Vitest, and runs a user's test
# there: proves the published package (exports, bundled servers, declarations) works installed, and
# type-checks that test with the package's .d.ts files (skipLibCheck off) as a user's tsc would.
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
cat > vitest.config.ts <<'CONFIG'
import { defineConfig } from 'vitest/config'
import { mcpHost } from 'vitest-mcp-host/plugin'

export default defineConfig({ plugins: [mcpHost({ processes: 'error', teardownTimeout: 5_000 })] })
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
npx vitest run
