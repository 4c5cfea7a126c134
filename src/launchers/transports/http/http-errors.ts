// Errors of an HTTP server's answers: one too large to read, and an error status with its page.

import { brandClass } from '../../../scope/class-brand.js'
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_SIZE } from '../../output/message-limit.js'

/** The most kept of an error page's body (`HttpResponseError.body`). */
export const ERROR_BODY_BYTES = 16 * 1024
/** The longest first line of an error page shown in a message. */
const SHOWN_LINE = 200

export interface TooLargeDetails {
  server: string
  /** What was too large: a response body (JSON) or one event of an SSE stream. */
  part: 'body' | 'event'
  /** The request it answered (`tools/call big`); none for the server's own GET stream. */
  during?: string | undefined
}

/**
 * A server's HTTP answer went past the host's message limit (64 MiB, as a stdio line): a JSON
 * response body, or one SSE event. Reading stopped there and the connection was closed; the
 * request it answered rejects with this at once.
 */
export class ResponseTooLargeError extends Error {
  static {
    brandClass(this, 'ResponseTooLargeError')
  }

  override readonly name = 'ResponseTooLargeError'
  readonly server: string
  /** The limit, in bytes. */
  readonly limit = MAX_MESSAGE_BYTES
  readonly part: 'body' | 'event'
  readonly during: string | undefined

  constructor({ server, part, during }: TooLargeDetails) {
    const what = part === 'body' ? 'an HTTP response body' : 'an SSE event'
    const answered = during === undefined ? `sent ${what}` : `answered ${during} with ${what}`
    super(
      `Server "${server}" ${answered} over ${MAX_MESSAGE_SIZE}, the most the host reads of one message ` +
        '(as of a stdio line); it was not read further. Make the server answer with less (a page of ' +
        'results, or a link to a resource).',
    )
    this.server = server
    this.part = part
    this.during = during
  }
}

export interface ErrorPage {
  server: string
  status: number
  statusText: string
  contentType: string | null
  /** Its start, at most ERROR_BODY_BYTES, decoded as UTF-8. */
  body: string
  /** Whether the body went on past `body`. */
  truncated: boolean
}

/**
 * A server answered with an HTTP error status (404, 500, a proxy's 502 page...). The message is one
 * line: status, content type and the page's first line of text; the page itself (its first 16 KiB)
 * is `body`; `code` is the status too (as SDK 1.x's `StreamableHTTPError` had it).
 */
export class HttpResponseError extends Error {
  static {
    brandClass(this, 'HttpResponseError')
  }

  override readonly name = 'HttpResponseError'
  readonly code: number
  readonly server: string
  readonly status: number
  readonly contentType: string | null
  readonly body: string
  readonly truncated: boolean

  constructor(page: ErrorPage) {
    const status = `HTTP ${page.status}${page.statusText ? ` ${page.statusText}` : ''}`
    const type = page.contentType ?? 'no content type'
    const line = firstLine(page.body, page.contentType)
    const detail = line === '' ? `(${type}, empty body)` : `(${type}): ${line}`
    super(`${status} from server "${page.server}" ${detail}`)
    this.code = page.status
    this.server = page.server
    this.status = page.status
    this.contentType = page.contentType
    this.body = page.body
    this.truncated = page.truncated
  }
}

/**
 * The first line of text of an error page: a JSON-RPC error's `message`; for HTML the first line of
 * its body's text (a title like Express's "Error" says less than its `<pre>Cannot POST /mcp</pre>`).
 */
function firstLine(body: string, contentType: string | null): string {
  let text = body
  if (contentType?.includes('json')) {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: unknown }; message?: unknown }
      const message = parsed?.error?.message ?? parsed?.message
      if (typeof message === 'string') text = message
    } catch {
      // Not JSON after all (or cut short): its text as it is.
    }
  } else if (contentType?.includes('html')) {
    text = body
      .replace(/<(head|script|style)\b[\s\S]*?<\/\1\s*>/gi, '\n')
      .replace(/<[^>]*>/g, '\n')
      .replace(/&nbsp;/g, ' ')
  }
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? ''
  const trimmed = line.trim()
  return trimmed.length > SHOWN_LINE ? `${trimmed.slice(0, SHOWN_LINE)}…` : trimmed
}
