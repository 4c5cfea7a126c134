// The plugin's setup file, run in every test worker: each test in its own attribution, checked after.
import { afterAll, aroundEach, beforeAll, inject } from 'vitest'
import '../../matchers/index.js'
import { chargeTest } from '../../fixtures/outcome.js'
import { configureHarness } from '../../fixtures/settings.js'
import { watchWorkerLifecycle } from '../../fixtures/worker-lifecycle.js'
import { configureWireDefault } from '../../host/records/wire-ledger.js'
import { reportReapingTo } from '../../launchers/processes/reaper-client.js'
import { addContextDescriber, currentAttribution, runAttributed } from '../../scope/index.js'
import { configureRedaction } from '../../snapshot/serializer.js'
import { PROVIDED_KEY, SNAPSHOT_KEY } from '../provided.js'
import { checkAfterTest } from './after-test.js'
import { installSpawnHook } from './spawn-hook.js'
import { TestAttempt } from './test-attempt.js'
import { recordToolUsagePerFile } from './tool-usage-file.js'

const settings = inject(PROVIDED_KEY)
configureHarness(settings)
// The matchers' import registered the serializer; what it redacts is the plugin's option.
configureRedaction(inject(SNAPSHOT_KEY)?.redact ?? [])
if (settings.processes !== 'off') installSpawnHook()
// What the reaper kills if this worker dies is reported at the run's end, and the dead worker named.
if (settings.reportDir !== undefined) reportReapingTo(settings.reportDir)
watchWorkerLifecycle()
// Each server's tools/list answers and tools/calls, handed to the reporter in each file's task meta.
if (settings.toolCoverage) recordToolUsagePerFile()
// Loaded only when asked for: the async_hooks machinery is for debugging sessions.
const trace = settings.trace ? await import('./trace.js') : undefined
// observe: 'all': clients the test files create, hooked once the file has loaded the SDK (not before).
const { wire = 'error', observe: mode } = settings as { wire?: 'error' | 'warn' | 'off'; observe?: string }
configureWireDefault(wire)
const observe = mode === 'all' ? await import('./observe-hook.js') : undefined
if (observe) {
  observe.observeAll({ wire, toolCoverage: settings.toolCoverage })
  // Registered before the file's own hooks: runs first, after the file's imports were evaluated.
  beforeAll(() => observe.hookLoadedClients())
  // Violations that travelled in no test (a beforeAll, an afterAll): the file's. After hooks run in
  // reverse order by default, so this one runs after the file's own afterAll hooks.
  afterAll(async () => {
    const [first] = await observe.observedOutsideTests()
    if (first) throw first
  })
}

// Names test code for cross-context messages exactly, even with test.concurrent.
addContextDescriber(() => currentAttribution()?.label)

aroundEach(
  // Destructured: Vitest reads the names to know which fixtures a hook needs.
  async (runTest, { task }) => {
    const run = new TestAttempt(task)
    const handles = trace?.startHandleTrace(run)
    if (observe) {
      await observe.hookLoadedClients()
      observe.testStarted(run)
    }
    try {
      // Everything of the test runs inside: fixture setup, body, hooks, fixture teardown.
      await runAttributed(run, runTest)
    } finally {
      const problems = await checkAfterTest(run, handles)
      if (observe) {
        observe.testEnded(run)
        problems.push(...(await observe.observedProblems(run)))
      }
      chargeTest(task, problems)
    }
  },
  // No Vitest timer on this hook: cut short by hookTimeout, the checks would lose their findings and
  // leave what they were stopping running. They bound themselves: each host by teardownTimeout,
  // the process check by its grace and kill waits.
  0,
)
