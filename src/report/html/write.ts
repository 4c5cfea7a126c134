// Writes the report page; a failure is a sentence that says what to change, not a stack.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { ReportModel } from './model.js'
import { renderReportPage } from './page.js'

/** Writes `model` as the page at `file` (its folder made); the problem as a sentence, or undefined. */
export function writeReportPage(file: string, model: ReportModel): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, renderReportPage(model))
    return undefined
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return (
      `vitest-mcp-host: the HTML report could not be written to ${file} (${why}): ` +
      'set mcpHost({ html }) to a file path you can write'
    )
  }
}
