// What `callTool` sends once routed: the host's progress token when asked for progress, and a task
// for a tool that requires one (as listed, or as found listed after a plain call failed).

import type { CallToolResult } from '@modelcontextprotocol/client'
import { CassetteMismatchError } from '../../cassette/errors.js'
import { messageOf } from '../../launchers/output/kept-text.js'
import type { Timeline } from '../../launchers/timeline.js'
import type { ProgressRouter } from '../records/notifications.js'
import type { ServerSet } from '../servers/server-set.js'
import type { RequestOptions, Send } from './dispatch.js'
import { callToolAsTask, requiresTask } from './tasks.js'

/** One `notifications/progress` of a call. */
export interface Progress {
  progress: number
  total?: number
  message?: string
}

export interface CallToolOptions extends RequestOptions {
  /**
   * Called with each `notifications/progress` the server sends for this call, in order (the host
   * sends a progress token when it is given). Progress does not extend the call: its `timeout`
   * (else `requestTimeout`) bounds the whole call however often the server reports progress, as if
   * the SDK's `resetTimeoutOnProgress` were off; give a longer `timeout` for a long operation.
   * A callback that throws is recorded in the host's timeline; the call goes on.
   */
  onProgress?: (progress: Progress) => void
}

/** The host's parts a tool call uses. */
export interface ToolCallParts {
  readonly servers: ServerSet
  readonly progress: ProgressRouter
  readonly timeline: Timeline
}

/** `onProgress`, called with plain progress; a throw goes on the host's timeline, not into the call. */
function progressTo(
  onProgress: (progress: Progress) => void,
  tool: string,
  timeline: Timeline,
): (progress: Progress) => void {
  return ({ progress, total, message }) => {
    try {
      onProgress({
        progress,
        ...(total === undefined ? {} : { total }),
        ...(message === undefined ? {} : { message }),
      })
    } catch (error) {
      timeline.record('progress-handler-error', `onProgress of tools/call ${tool} threw: ${messageOf(error)}`)
    }
  }
}

export function sendToolCall(
  { servers, progress: router, timeline }: ToolCallParts,
  name: string,
  args: object,
  onProgress: CallToolOptions['onProgress'],
): Send<CallToolResult> {
  return async (client, options, entry, call) => {
    // The host's own progress token, released once the call has settled.
    const progress = onProgress && router.register(progressTo(onProgress, name, timeline))
    const params = {
      name,
      arguments: args as Record<string, unknown>,
      ...(progress ? { _meta: { progressToken: progress.token } } : {}),
    }
    try {
      // On 2026-07-28 the server decides: a task it answers with is followed on the wire (task-extension.ts).
      const legacyTasks = entry.era !== '2026-07-28'
      const listed = await servers.listedTool(entry.name, name)
      if (legacyTasks && requiresTask(listed)) return await callToolAsTask(client, params, call)
      let failure: { error: unknown } | undefined
      let result: CallToolResult | undefined
      try {
        // The tool as the host listed it: the SDK checks structured content against its outputSchema.
        result = (await client.callTool(params, {
          ...options,
          ...(listed && { toolDefinition: listed }),
        })) as CallToolResult
        if (result.isError !== true) return result
      } catch (error) {
        // A replay's mismatch is the answer: listing the tools would be one more unrecorded request.
        if (call.signal.aborted || error instanceof CassetteMismatchError) throw error
        failure = { error }
      }
      // Not listed yet when it was sent: a tool that needs a task fails without one.
      const tool = await servers.listedTool(entry.name, name, call.signal).catch(() => undefined)
      if (legacyTasks && requiresTask(tool)) return await callToolAsTask(client, params, call)
      if (failure) throw failure.error
      return result as CallToolResult
    } finally {
      progress?.release()
    }
  }
}
