// What modules load at run time, `import type` left out (TypeScript erases it): the setup file and
// the matchers are loaded by every test file of a project with the plugin, so they must stay light.
const base = require('./dependency-cruiser.cjs')

/** The modules every test file of a project with the plugin loads. */
const SETUP_ENTRIES = '^src/(plugin/worker/setup|plugin/index|matchers/index)\\.ts$'

module.exports = {
  forbidden: [
    {
      name: 'setup-file-stays-light',
      comment:
        'every test file loads the setup file and the matchers: neither may reach the MCP SDK, zod or the host (issue 15: ~130 ms a file)',
      severity: 'error',
      from: { path: SETUP_ENTRIES },
      to: {
        path: '((^|/)node_modules/(@modelcontextprotocol|zod)/|^src/host/host-manager\\.ts$)',
        reachable: true,
      },
    },
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
}
