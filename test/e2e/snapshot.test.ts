// End-to-end: toMatchSurfaceSnapshot() and the MCP snapshot serializer in real nested Vitest runs:
// written on the first run, stable on the next, changes classified, failOn, -u, CI mode, obsolete
// entries reported and removed with -u.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, test } from 'vitest'
import { outcomes, run, TEST_TIMEOUT_MS } from './harness.js'
import type { VitestRun } from './run-vitest.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function snapDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-snap-'))
  dirs.push(dir)
  return dir
}

/** A new snapshot directory holding what `dir` holds. */
function copyOf(dir: string): string {
  const copy = snapDir()
  cpSync(dir, copy, { recursive: true })
  return copy
}

function snapFile(dir: string): string {
  const file = join(dir, 'surface.case.ts.snap')
  if (!existsSync(file)) throw new Error(`no snapshot file in ${dir}`)
  return readFileSync(file, 'utf8')
}

function failure(result: VitestRun, name: string): string {
  return result
    .test(name)
    .errors.map((e) => e.message)
    .join('\n')
}

interface Step {
  surface?: 'base' | 'compatible' | 'breaking'
  failOn?: 'any' | 'breaking'
  ci?: boolean
  onlySurface?: boolean
  /** Another name for the surface test. */
  surfaceTest?: string
  args?: string[]
}

function step(dir: string, signal: AbortSignal, s: Step = {}): Promise<VitestRun> {
  const env: Record<string, string> = { SNAP_DIR: dir, SURFACE: s.surface ?? 'base', CI: s.ci ? 'true' : '' }
  if (s.failOn) env.FAIL_ON = s.failOn
  if (s.onlySurface) env.ONLY_SURFACE = '1'
  if (s.surfaceTest) env.SURFACE_TEST = s.surfaceTest
  return run('plugin-snapshot', { signal, env, args: s.args })
}

describe.concurrent('snapshots in a real nested Vitest', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  test('written once, stable on the next run; a compatible change fails, or passes with failOn: breaking; -u updates', async ({
    expect,
    signal,
  }) => {
    const dir = snapDir()
    const first = await step(dir, signal)
    expect(outcomes(first)).toEqual({ surface: 'passed', 'tool result': 'passed' })
    const written = snapFile(dir)
    expect(written).toContain('"revision": "2025-11-25"')
    expect(written).toContain('"lookup": {')
    // The serializer: the random progress token, the plugin's redactions.
    expect(written).toContain('"progressToken": "[progressToken]"')
    expect(written).toContain('"secret": "[redacted]"')
    expect(written).toMatch(/"text": "ok at \[redacted\]",/)

    // Each next step starts from what the first wrote, in a copy of its own: they run side by side,
    // and each still checks what it left in its directory.
    const stable = async () => {
      const second = await step(dir, signal)
      expect(outcomes(second)).toEqual({ surface: 'passed', 'tool result': 'passed' })
      expect(snapFile(dir)).toBe(written)
    }
    const compatible = async (copy: string) => {
      const changed = await step(copy, signal, { surface: 'compatible' })
      expect(outcomes(changed)).toEqual({ surface: 'failed: Error', 'tool result': 'passed' })
      const message = failure(changed, 'surface')
      expect(message).toContain('the surface on revision 2025-11-25 changed (0 breaking, 3 compatible):')
      expect(message).toContain('  compatible tool forecast: tool added')
      expect(message).toContain('  compatible tool lookup › input.day: optional argument added')
      expect(message).toContain('  compatible tool lookup: description changed')
      expect(message).toContain('run Vitest with -u')
      expect(snapFile(copy)).toBe(written)
      // The failed comparison wrote nothing: failOn: breaking on the same directory passes.
      const tolerated = await step(copy, signal, { surface: 'compatible', failOn: 'breaking' })
      expect(outcomes(tolerated)).toEqual({ surface: 'passed', 'tool result': 'passed' })
    }
    const update = async (copy: string) => {
      const updated = await step(copy, signal, { surface: 'compatible', args: ['-u'] })
      expect(outcomes(updated)).toEqual({ surface: 'passed', 'tool result': 'passed' })
      expect(snapFile(copy)).toContain('"forecast": {')
      expect(outcomes(await step(copy, signal, { surface: 'compatible' }))).toEqual({
        surface: 'passed',
        'tool result': 'passed',
      })
    }
    await Promise.all([compatible(copyOf(dir)), update(copyOf(dir)), stable()])
  })

  test('a breaking change fails even with failOn: breaking, each change named, counted in the summary', async ({
    expect,
    signal,
  }) => {
    const dir = snapDir()
    expect(outcomes(await step(dir, signal))).toEqual({ surface: 'passed', 'tool result': 'passed' })
    const broken = await step(dir, signal, {
      surface: 'breaking',
      failOn: 'breaking',
      onlySurface: true,
      args: ['--reporter=default'],
    })
    expect(outcomes(broken)).toEqual({ surface: 'failed: Error' })
    const message = failure(broken, 'surface')
    expect(message).toContain('changed (2 breaking, 0 compatible):')
    expect(message).toContain('  breaking   tool lookup › input.units: enum value "imperial" removed')
    expect(message).toContain('  breaking   tool lookup › input.country: required argument added')
    // Vitest's own summary counts the mismatch; the entry of the test that is gone is kept (no -u).
    expect(broken.stdout).toMatch(/Snapshots\s+1 failed/)
    expect(snapFile(dir)).toContain('exports[`tool result 1`]')
  })

  test('an obsolete surface entry is reported like any obsolete snapshot, and -u removes it', async ({
    expect,
    signal,
  }) => {
    const dir = snapDir()
    expect(outcomes(await step(dir, signal))).toEqual({ surface: 'passed', 'tool result': 'passed' })
    expect(snapFile(dir)).toContain('exports[`surface 1`]')
    // Renamed: its surface is stored under the new name, the old entry is obsolete (kept, not failed).
    const renamed = await step(dir, signal, { surfaceTest: 'renamed', args: ['--reporter=default'] })
    expect(outcomes(renamed)).toEqual({ renamed: 'passed', 'tool result': 'passed' })
    expect(renamed.exitCode).toBe(0)
    // Vitest's summary names the obsolete entry, as for its own snapshots.
    expect(renamed.stdout).toMatch(
      /Snapshots +1 written\n +1 obsolete\n +↳ \.\/surface\.case\.ts\n +· surface 1\n/,
    )
    expect(snapFile(dir)).toContain('exports[`surface 1`]')
    expect(snapFile(dir)).toContain('exports[`renamed 1`]')
    const updated = await step(dir, signal, { surfaceTest: 'renamed', args: ['-u', '--reporter=default'] })
    expect(outcomes(updated)).toEqual({ renamed: 'passed', 'tool result': 'passed' })
    expect(updated.stdout).toMatch(/Snapshots +1 removed\n/)
    expect(snapFile(dir)).not.toContain('exports[`surface 1`]')
    expect(snapFile(dir)).toContain('exports[`renamed 1`]')
  })

  test('in CI nothing is written: a missing surface snapshot fails and says how to make it', async ({
    expect,
    signal,
  }) => {
    const dir = snapDir()
    const result = await step(dir, signal, { ci: true, onlySurface: true })
    expect(outcomes(result)).toEqual({ surface: 'failed: Error' })
    expect(failure(result, 'surface')).toContain(
      'no surface snapshot stored for revision 2025-11-25, and none was written (CI mode, or --update=none)',
    )
    expect(existsSync(join(dir, 'surface.case.ts.snap'))).toBe(false)
  })
})
