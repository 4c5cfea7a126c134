// The demo suite's config: it uses the built package, exactly as an installed user would.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const dist = (path: string) => fileURLToPath(new URL(`../dist/src/${path}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^vitest-mcp-host\/servers$/, replacement: dist('servers/index.js') },
      { find: /^vitest-mcp-host$/, replacement: dist('index.js') },
    ],
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.example.ts'],
    // No plugin here: the matchers are registered as a user without it does, with a setup file of
    // `vitest-mcp-host/matchers` (the built file: setup files are paths, not resolved through aliases).
    setupFiles: [dist('matchers/index.js')],
  },
})
