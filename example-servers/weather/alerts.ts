// The weather service's multi-round-trip tool: `subscribe_alerts` asks the user to confirm (form
// elicitation) before it subscribes. One handler serves both protocol revisions: on 2026-07-28 it
// answers `input_required` and reads the retried request's `inputResponses`; on 2025-11-25 the SDK
// turns that same answer into an ordinary `elicitation/create` request to the client.
import { inputRequired, inputResponse, type McpServer } from '@modelcontextprotocol/server'
import * as z from 'zod/v4'

/** The elicitation's form: one required boolean. */
const CONFIRMATION = z.object({ confirm: z.boolean().describe('Subscribe to alerts for this location') })

/** The texts `subscribe_alerts` answers with. */
export const alertTexts = {
  question: (location: string): string => `Subscribe to weather alerts for ${location}?`,
  subscribed: (location: string): string => `Subscribed to weather alerts for ${location}`,
  declined: (location: string): string => `Not subscribed to weather alerts for ${location} (declined)`,
}

/**
 * Registers `subscribe_alerts({ location })` on `server`: one confirmation round, then the answer.
 *
 * @example
 * registerAlerts(server) // client answers { action: 'accept', content: { confirm: true } } → 'Subscribed to …'
 */
export function registerAlerts(server: McpServer): void {
  server.registerTool(
    'subscribe_alerts',
    {
      description: 'Subscribes to severe-weather alerts for a location, after the user confirms.',
      inputSchema: z.object({ location: z.string().describe('A city name, e.g. London') }),
    },
    ({ location }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm')
      if (answer.kind !== 'elicit') {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: alertTexts.question(location),
              requestedSchema: CONFIRMATION,
            }),
          },
        })
      }
      const accepted =
        answer.action === 'accept' && CONFIRMATION.safeParse(answer.content).data?.confirm === true
      const text = accepted ? alertTexts.subscribed(location) : alertTexts.declined(location)
      return { content: [{ type: 'text', text }] }
    },
  )
}
