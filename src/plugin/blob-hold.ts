// Worker-scoped hosts in blob reports. Their teardowns end after Vitest reports the run's end, and
// the blob reporter serializes the run the moment it hears of that end: a merged run would never see
// them. So the blob reporter's end first waits for them (as long as the plugin's reporter waits
// anyway, bounded), and their end lines go into the first test module's meta, which the blob keeps.
// A namespace import: a named one of ReportersMap would fail the plugin's load on Vitest 4.0, whose
// `vitest/node` lacks it (the plugin must load there to say which Vitest it needs); Vitest 5 has no
// `vitest/reporters` entry. Where it is missing, the class name tells.
import type { Reporter, TestModule } from 'vitest/node'
import * as vitestNode from 'vitest/node'
import type { SharedEnd } from '../report/shared-host-ends.js'

declare module 'vitest' {
  interface TaskMeta {
    /**
     * The shared hosts no test file's meta carries (worker-scoped ones), as their teardowns ended:
     * on the run's first test module, for the blob report. Absent without a blob reporter.
     */
    mcpHostWorkerHosts?: SharedEnd[]
  }
}

/** Vitest's blob reporter, by class (by name too: a second copy of Vitest has its own class). */
function isBlobReporter(reporter: Reporter): boolean {
  const blob = (vitestNode as { ReportersMap?: { blob?: abstract new (...args: never[]) => unknown } })
    .ReportersMap?.blob
  return (blob !== undefined && reporter instanceof blob) || reporter.constructor?.name === 'BlobReporter'
}

/**
 * Makes each blob reporter among `reporters` wait for `ends()` at the run's end, and write what it
 * resolves to (the shared hosts' end lines that no file's meta has) with the run. True if there was one.
 */
export function holdBlobReports(
  reporters: readonly Reporter[],
  ends: (testModules: ReadonlyArray<TestModule>) => Promise<SharedEnd[]>,
): boolean {
  const blobs = reporters.filter(isBlobReporter)
  for (const blob of blobs) {
    const end = blob.onTestRunEnd?.bind(blob)
    if (!end) continue
    blob.onTestRunEnd = async (testModules, ...rest) => {
      const carried = await ends(testModules)
      const [first] = testModules
      if (first && carried.length > 0) first.meta().mcpHostWorkerHosts = carried
      return end(testModules, ...rest)
    }
  }
  return blobs.length > 0
}

/** The shared hosts that blobs carried on their first module (`--merge-reports`: every shard's). */
export function carriedHostEnds(testModules: ReadonlyArray<TestModule>): SharedEnd[] {
  return testModules.flatMap((module) => module.meta().mcpHostWorkerHosts ?? [])
}
