// The plugin's checks after each test: harness resources, processes and (with trace) async handles
// that outlived it, each charged to this test alone.
import { closeAndJudge, cutOffRequests, markJudged, requestLeaks } from '../../fixtures/judge.js'
import { noteCutOff } from '../../fixtures/outcome.js'
import { harnessSettings } from '../../fixtures/settings.js'
import { attemptTimeout } from '../../fixtures/timeout.js'
import type { HostManager } from '../../host/host-manager.js'
import { liveHosts } from '../../host/live-hosts.js'
import { chargedTo, ledgersWithViolations, violationErrors } from '../../host/records/wire-ledger.js'
import { hintFor } from '../../report/leak-advice.js'
import { type Leak, LeakError, siteOf } from '../../scope/index.js'
import { checkProcesses } from './process-check.js'
import type { TestAttempt } from './test-attempt.js'
import type { HandleTrace } from './trace.js'

/**
 * Hosts the test started and never shut down (shut down now), and its requests still pending on
 * any host. When a timeout ended the test they are what the timeout cut off, named in its error:
 * the test may have been awaiting them, and would have shut its host down after.
 */
async function harnessLeaks(run: TestAttempt): Promise<Error[]> {
  const timeout = attemptTimeout(run.task, run.errorMark)
  const leaks: Leak[] = []
  const cutOff: string[] = []
  const problems: Error[] = []
  for (const host of liveHosts<HostManager>()) {
    if (host.attribution === run) {
      const created = host.scope.openedAt
      if (timeout)
        cutOff.push(`host "${host.scope.name}" (created at ${created.location}) was still open; shut down`)
      else {
        leaks.push({
          kind: 'host',
          label: host.scope.name,
          createdIn: siteOf(run.label, created),
          frame: created.frame,
          detail: 'never shut down; shut down now',
          hint: hintFor('host'),
        })
      }
      const judgement = await closeAndJudge(host, run.label, {
        timeoutMs: harnessSettings().teardownTimeout,
        timedOut: timeout !== undefined,
      })
      problems.push(...judgement.problems)
      cutOff.push(...judgement.cutOff)
    } else {
      const pending = host.pendingRequests.filter((r) => r.attribution === run)
      if (timeout) cutOff.push(...cutOffRequests(host, pending))
      else leaks.push(...requestLeaks(host, pending))
    }
  }
  if (timeout) noteCutOff(run.task, timeout, cutOff)
  for (const finding of run.findings) {
    markJudged(finding)
    problems.push(finding)
  }
  return leaks.length > 0 ? [new LeakError(run.label, leaks), ...problems] : problems
}

/**
 * Protocol violations that travelled for this test on hosts it does not own (a shared host, or one
 * it started and shut down itself); a host the test owns was judged with its teardown.
 */
async function wireViolations(run: TestAttempt): Promise<Error[]> {
  const charged = chargedTo(run, run.startedAt)
  // Checks waiting for a listing first (each bounded where it was deferred).
  await Promise.all(ledgersWithViolations().map((ledger) => ledger.settled()))
  return violationErrors(ledgersWithViolations().flatMap((ledger) => ledger.take(charged)))
}

/** A check that threw: its own failure fails the test, and the other checks still run. */
function checkFailed(check: string, error: unknown): Error {
  return new Error(`vitest-mcp-host: the ${check} check after this test failed: ${String(error)}`, {
    cause: error,
  })
}

/** Everything `run` left behind, as errors to charge it with; what was left is stopped or killed. */
export async function checkAfterTest(run: TestAttempt, trace: HandleTrace | undefined): Promise<Error[]> {
  const settings = harnessSettings()
  const problems: Error[] = []
  try {
    if (settings.leaks !== 'off') problems.push(...(await harnessLeaks(run)))
  } catch (error) {
    problems.push(checkFailed('leak', error))
  }
  try {
    problems.push(...(await wireViolations(run)))
  } catch (error) {
    problems.push(checkFailed('wire', error))
  }
  try {
    const processes = settings.processes !== 'off' ? await checkProcesses(run) : undefined
    if (processes) problems.push(processes)
  } catch (error) {
    problems.push(checkFailed('process', error))
  } finally {
    // Checked (and what survived killed): the reaper need not watch them any more.
    for (const spawned of run.spawned) spawned.unwatch()
  }
  if (trace) {
    // Always stopped: a trace left running would slow every later test of the worker.
    try {
      const handles = await trace.stop()
      if (handles.length > 0) problems.push(new LeakError(run.label, handles))
    } catch (error) {
      problems.push(checkFailed('trace', error))
    }
  }
  return problems
}
