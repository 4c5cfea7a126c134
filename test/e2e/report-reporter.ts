// A Vitest reporter for the nested e2e runs: writes what happened as JSON to $E2E_REPORT and prints nothing.
import { writeFileSync } from 'node:fs'
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node'

export interface ReportedError {
  name: string
  message: string
  stack?: string
}

export interface ReportedTest {
  file: string
  name: string
  fullName: string
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  errors: ReportedError[]
  meta: Record<string, unknown>
  /** Artifacts recorded on the test (`recordArtifact`), as the reporter received them. */
  artifacts: Array<{ type: string } & Record<string, unknown>>
  /** Annotations of the test, as the reporters saw them at the run's end. */
  annotations: Array<{ type: string; message: string; attachment?: Record<string, unknown> }>
}

export interface Report {
  reason: TestRunEndReason
  unhandledErrors: ReportedError[]
  moduleErrors: Array<ReportedError & { file: string }>
  tests: ReportedTest[]
}

function plain(error: { name?: unknown; message?: unknown; stack?: unknown }): ReportedError {
  return {
    name: String(error.name ?? 'Error'),
    message: String(error.message ?? ''),
    ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
  }
}

export default class E2EReporter implements Reporter {
  onTestRunEnd(
    modules: readonly TestModule[],
    unhandled: readonly SerializedError[],
    reason: TestRunEndReason,
  ): void {
    const target = process.env.E2E_REPORT
    if (!target) throw new Error('E2E_REPORT is not set')
    const report: Report = {
      reason,
      unhandledErrors: unhandled.map(plain),
      moduleErrors: modules.flatMap((m) => m.errors().map((e) => ({ file: m.moduleId, ...plain(e) }))),
      tests: modules.flatMap((m) =>
        [...m.children.allTests()].map((t) => {
          const result = t.result()
          return {
            file: m.moduleId,
            name: t.name,
            fullName: t.fullName,
            state: result.state,
            errors: (result.errors ?? []).map(plain),
            meta: { ...t.meta() },
            artifacts: t.artifacts().map((a) => ({ ...a }) as { type: string } & Record<string, unknown>),
            annotations: t.annotations().map((a) => ({
              type: a.type,
              message: a.message,
              ...(a.attachment ? { attachment: { ...a.attachment } } : {}),
            })),
          }
        }),
      ),
    }
    writeFileSync(target, JSON.stringify(report, null, 2))
  }
}
