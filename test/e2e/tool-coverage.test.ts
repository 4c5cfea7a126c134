// End-to-end: mcpHost({ toolCoverage }) in real nested Vitest runs, two workers and three files: what
// each server advertised and was called for, merged across workers, the section, the summary file,
// and `min` failing the run; a server started with a temp dir per test counted once; and a suite
// run as two shards whose blob reports are merged.
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, test } from 'vitest'
import type { ToolCoverageSummary } from '../../src/report/tool-coverage.js'
import { outcomes, run, section, TEST_TIMEOUT_MS } from './harness.js'
import type { VitestRun } from './run-vitest.js'

const PASSED = {
  london: 'passed',
  'an unknown time zone is a tool error': 'passed',
  'through the SDK client: listed and called all the same': 'passed',
  'lists the tools of one server, calls none, and only reads a resource of the other': 'passed',
}

function summaryOf(result: VitestRun): ToolCoverageSummary {
  const text = result.outFiles['tool-coverage.json']
  if (!text) throw new Error(`no summary file; stdout:\n${result.stdout}`)
  return JSON.parse(text) as ToolCoverageSummary
}

describe.concurrent('toolCoverage in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  // First: its two runs in one watch-mode Vitest are the longest chain of the file, so it takes a
  // run slot before the rest queue for theirs.
  test('watch mode: each run counts its own calls only', async ({ expect, signal }) => {
    const result = await run('plugin-tool-coverage', { signal, twice: true, env: { COVERAGE_MIN: '0' } })
    expect(outcomes(result)).toEqual(PASSED)
    const lookup = summaryOf(result).timings.find((t) => t.tool === 'weather_lookup')
    expect(lookup).toMatchObject({ server: 'weather', count: 2 })
  })

  test('below min: every test passes, the run fails naming the server and its never-called tools', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-tool-coverage', { signal, env: { COVERAGE_MIN: '60' } })
    expect(outcomes(result)).toEqual(PASSED)
    expect(result.exitCode).toBe(1)
    const summary = summaryOf(result)
    expect(summary.min).toBe(60)
    // weather: one server across both workers and both files (test- and file-scoped); quiet: never
    // listed, so not counted; listed: listed, never called.
    expect(summary.servers.map((s) => [s.label, s.called, s.notCalled, s.percent])).toEqual([
      ['listed', [], ['current_time', 'weather_lookup'], 0],
      ['weather', ['current_time', 'weather_lookup'], [], 100],
    ])
    expect(summary.failing).toEqual(['listed'])
    const timings = Object.fromEntries(summary.timings.map((t) => [`${t.server} ${t.tool}`, t]))
    expect(Object.keys(timings).sort()).toEqual(['weather current_time', 'weather weather_lookup'])
    expect(timings['weather weather_lookup']).toMatchObject({ count: 2, errors: 0 })
    expect(timings['weather current_time']).toMatchObject({ count: 1, errors: 1 })
    for (const t of summary.timings) {
      expect(t.p50Ms).toBeGreaterThan(0)
      expect(t.p50Ms).toBeLessThanOrEqual(t.p95Ms)
      expect(t.p95Ms).toBeLessThanOrEqual(t.maxMs)
    }
    const text = section(result, ' vitest-mcp-host tool coverage ')
    expect(text).toContain('✗ listed   0/2 tools called (0%)\n      not called: current_time, weather_lookup')
    expect(text).toContain('✓ weather  2/2 tools called (100%)')
    expect(text).toMatch(/\n {4}weather › weather_lookup +2 +0 +0 +\d+\.\d +\d+\.\d +\d+\.\d\n/)
    expect(text).toContain(
      'The run fails: tool coverage below 60% for listed (0%; not called: current_time, weather_lookup).',
    )
  })

  test('at or above min, in the threads pool: the run passes with the same summary', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-tool-coverage', {
      signal,
      env: { COVERAGE_MIN: '0', E2E_POOL: 'threads' },
    })
    expect(outcomes(result)).toEqual(PASSED)
    expect(result.exitCode).toBe(0)
    const summary = summaryOf(result)
    expect(summary.failing).toEqual([])
    expect(summary.servers.map((s) => [s.server, s.percent])).toEqual([
      ['listed', 0],
      ['weather', 100],
    ])
    expect(section(result, ' vitest-mcp-host tool coverage ')).toContain('· listed   0/2 tools called (0%)')
  })

  test('a summary file that cannot be written: the section is printed, the run fails saying what to set', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-tool-coverage', {
      signal,
      env: { COVERAGE_MIN: '0', COVERAGE_FILE_IS_DIR: '1' },
    })
    expect(outcomes(result)).toEqual(PASSED)
    expect(section(result, ' vitest-mcp-host tool coverage ')).toContain('✓ weather  2/2 tools called (100%)')
    expect(result.stdout + result.stderr).toMatch(
      /vitest-mcp-host: the tool coverage summary could not be written to .+ \(EISDIR[^)]*\): set mcpHost\(\{ toolCoverage: \{ outputFile \} \}\) to a file path you can write/,
    )
    expect(result.exitCode).toBe(1)
  })
})

// Concurrent, as the describe blocks around it: a plain test between them would split the file in three
// phases, run one after the other.
test.concurrent('a temp dir per test (args, env and cwd): one server, which reaches min 100', {
  timeout: TEST_TIMEOUT_MS,
}, async ({ expect, signal }) => {
  const result = await run('plugin-tool-coverage-per-test', { signal })
  expect(outcomes(result)).toEqual({
    'a temp dir per test: lookup': 'passed',
    'a temp dir per test: time': 'passed',
  })
  expect(result.exitCode).toBe(0)
  const summary = summaryOf(result)
  // Each test called one of the two tools, each with its own temp dir: counted apart, they were two
  // servers at 50 % each.
  expect(summary.servers.map((s) => [s.label, s.called, s.percent])).toEqual([
    ['notes', ['current_time', 'weather_lookup'], 100],
  ])
  expect(summary.servers[0]?.identity).toMatch(/^\S+ \S+\/dist\/example-servers\/weather\.mjs$/)
  expect(section(result, ' vitest-mcp-host tool coverage ')).toContain('✓ notes  2/2 tools called (100%)')
})

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe.concurrent('toolCoverage over shards', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  const project = 'plugin-tool-coverage-shards'

  test('a run writing a blob, not sharded, is a part too: below min, it passes and says where min is judged', async ({
    expect,
    signal,
  }) => {
    const blobs = mkdtempSync(join(tmpdir(), 'tool-coverage-blob-'))
    try {
      // One of the two files (a filter): 50 %, below min 100.
      const result = await run(project, {
        signal,
        args: ['lookup', '--reporter=blob', `--outputFile.blob=${join(blobs, 'blob.json')}`],
      })
      expect(outcomes(result)).toEqual({ 'calls weather_lookup only': 'passed' })
      expect(result.exitCode).toBe(0)
      expect(summaryOf(result)).toMatchObject({
        part: { blob: true },
        failing: [],
        belowMinInPart: ['weather'],
      })
      expect(summaryOf(result).part?.shard).toBeUndefined()
      expect(section(result, ' vitest-mcp-host tool coverage ')).toContain(
        '  This is a run writing a blob report: its own calls only, so min 100% does not fail it; min is ' +
          'judged when the blobs are merged (vitest --merge-reports). Below it in this part alone: weather (50%).',
      )
    } finally {
      rmSync(blobs, { recursive: true, force: true })
    }
  })

  test('each shard reports its part and passes; the merged blobs report the union and judge min', async ({
    expect,
    signal,
  }) => {
    const blobs = mkdtempSync(join(tmpdir(), 'tool-coverage-blobs-'))
    try {
      const shard = (i: number) =>
        run(project, {
          signal,
          args: [
            '--shard',
            `${i}/2`,
            '--reporter=blob',
            `--outputFile.blob=${join(blobs, `blob-${i}-2.json`)}`,
          ],
        })
      const shards = await Promise.all([shard(1), shard(2)])
      const calledInShards: string[] = []
      for (const [i, result] of shards.entries()) {
        // One file per shard, its test passed, and min 100 did not fail the shard at 50 %.
        expect(Object.values(outcomes(result))).toEqual(['passed'])
        expect(result.exitCode).toBe(0)
        const summary = summaryOf(result)
        expect(summary).toMatchObject({ part: { shard: `${i + 1}/2`, blob: true }, failing: [] })
        expect(summary.belowMinInPart).toEqual(['weather'])
        expect(summary.servers.map((s) => [s.server, s.called.length, s.percent])).toEqual([
          ['weather', 1, 50],
        ])
        calledInShards.push(...(summary.servers[0]?.called ?? []))
        const text = section(result, ' vitest-mcp-host tool coverage ')
        expect(text).toContain('· weather  1/2 tools called (50%)')
        expect(text).toContain(
          `  This is shard ${i + 1}/2: its own calls only, so min 100% does not fail it; min is judged when ` +
            'the blobs are merged (vitest --merge-reports). Below it in this part alone: weather (50%).',
        )
        expect(text).not.toContain('The run fails')
      }
      expect(calledInShards.sort()).toEqual(['current_time', 'weather_lookup'])

      // Merged without the second shard's blob (a copy of the first's alone), side by side with the
      // whole: the whole is below min, and that run fails.
      const firstOnly = mkdtempSync(join(tmpdir(), 'tool-coverage-blobs-first-'))
      dirs.push(firstOnly)
      cpSync(join(blobs, 'blob-1-2.json'), join(firstOnly, 'blob-1-2.json'))
      const [merged, partial] = await Promise.all([
        run(project, { signal, args: ['--merge-reports', blobs] }),
        run(project, { signal, args: ['--merge-reports', firstOnly] }),
      ])
      expect(outcomes(merged)).toEqual({
        'calls weather_lookup only': 'passed',
        'calls current_time only': 'passed',
      })
      expect(merged.exitCode).toBe(0)
      const summary = summaryOf(merged)
      expect(summary.part).toBeUndefined()
      expect(summary.failing).toEqual([])
      expect(summary.servers.map((s) => [s.server, s.called, s.percent])).toEqual([
        ['weather', ['current_time', 'weather_lookup'], 100],
      ])
      expect(summary.timings.map((t) => [t.tool, t.count]).sort()).toEqual([
        ['current_time', 1],
        ['weather_lookup', 1],
      ])
      expect(section(merged, ' vitest-mcp-host tool coverage ')).toContain(
        '✓ weather  2/2 tools called (100%)',
      )

      expect(partial.exitCode).toBe(1)
      expect(summaryOf(partial).failing).toEqual(['weather'])
      expect(section(partial, ' vitest-mcp-host tool coverage ')).toMatch(
        /The run fails: tool coverage below 100% for weather \(50%; not called: (current_time|weather_lookup)\)\./,
      )
    } finally {
      rmSync(blobs, { recursive: true, force: true })
    }
  })
})
