// The design's import rules (STYLE.md: fixtures, plugin → host, report → launchers → scope), checked
// by dependency-cruiser on the sources: static imports, `import type` and `import()` alike.
// The runtime graph (what a module really loads, `import type` left out) is checked by
// dependency-cruiser-runtime.cjs. Run both: `npm run lint:deps` (CI runs it, and so does
// test/package/dependency-rules.test.ts, which also proves each rule can fail).

/** How high each top-level part of src/ sits: a module may import its own level and lower ones. */
const LEVELS = [
  ['scope', 'version\\.ts', 'env\\.ts', 'wire'],
  ['launchers', 'cassette'],
  ['host', 'report', 'servers'],
  ['matchers', 'snapshot', 'fixtures'],
  ['plugin'],
  ['index\\.ts'],
]

const part = (names) => `^src/(${names.join('|')})(/|$)`
const above = (level) => LEVELS.slice(level + 1).flat()

module.exports = {
  forbidden: [
    ...LEVELS.slice(0, -1).map((names, level) => ({
      name: `upward-from-${names[0].replace(/\W.*/, '')}`,
      comment: `src/{${names.join(',')}} may import only its own level and lower ones (STYLE.md layers)`,
      severity: 'error',
      from: { path: part(names) },
      to: { path: part(above(level)) },
    })),
    {
      name: 'no-circular',
      comment: 'two modules importing each other, directly or through others',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'vitest-only-in-test-facing-parts',
      comment: 'only the fixture, the plugin, the matchers and snapshots run inside Vitest',
      severity: 'error',
      from: { path: '^src/', pathNot: part(['fixtures', 'plugin', 'matchers', 'snapshot']) },
      to: { path: '(^|/)node_modules/(vitest|@vitest/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.d.ts'],
    },
    exclude: { path: '^src/.*\\.d\\.ts$' },
  },
}
