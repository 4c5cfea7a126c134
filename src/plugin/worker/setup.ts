// The plugin's setup file, run in every test worker: each test in its own attribution, checked after.
import { aroundEach, inject } from 'vitest'
import '../../matchers/index.js'
import { chargeTest } from '../../fixtures/outcome.js'
import { configureHarness } from '../../fixtures/settings.js'
import { watchWorkerLifecycle } from '../../fixtures/worker-lifecycle.js'
import { reportReapingTo } from '../../launchers/reaper-client.js'
import { addContextDescriber, currentAttribution, runAttributed } from '../../scope/index.js'
import { PROVIDED_KEY } from '../provided.js'
import { checkAfterTest } from './after-test.js'
import { installSpawnHook } from './spawn-hook.js'
import { TestRun } from './test-run.js'
import { recordToolUsagePerFile } from './tool-usage-file.js'

const settings = inject(PROVIDED_KEY)
configureHarness(settings)
if (settings.processes !== 'off') installSpawnHook()
// What the reaper kills if this worker dies is reported at the run's end, and the dead worker named.
if (settings.reportDir !== undefined) reportReapingTo(settings.reportDir)
watchWorkerLifecycle()
// Each server's tools/list answers and tools/calls, handed to the reporter in each file's task meta.
if (settings.toolCoverage) recordToolUsagePerFile()
// Loaded only when asked for: the async_hooks machinery is for debugging sessions.
const trace = settings.trace ? await import('./trace.js') : undefined

// Names test code for cross-context messages exactly, even with test.concurrent.
addContextDescriber(() => currentAttribution()?.label)

aroundEach(
  // Destructured: Vitest reads the names to know which fixtures a hook needs.
  async (runTest, { task, annotate }) => {
    const run = new TestRun(task)
    const handles = trace?.startHandleTrace(run)
    try {
      // Everything of the test runs inside: fixture setup, body, hooks, fixture teardown.
      await runAttributed(run, runTest)
    } finally {
      chargeTest(task, await checkAfterTest(run, handles))
      // Loaded only when needed: the page's code is for failing tests with hosts, with `html` on.
      if (settings.timelineHtml && task.result?.state === 'fail' && task.meta.mcpHost?.hosts.length)
        await (await import('./timeline-annotation.js')).annotateTimeline(annotate, task)
    }
  },
  // No Vitest timer on this hook: cut short by hookTimeout, the checks would lose their findings and
  // leave what they were stopping running. They bound themselves: each host by teardownTimeout,
  // the process check by its grace and kill waits.
  0,
)
