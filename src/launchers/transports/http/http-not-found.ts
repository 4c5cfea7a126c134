// A wrong URL path, said as such: a 404 to initialize names the path tried, not the server's page.
import { HttpResponseError } from './http-errors.js'

/**
 * For an HTTP 404 to the first POST: the error, its message now saying that nothing serves MCP at
 * `url`'s path (the server's own page stays on it: an `HttpResponseError`'s `body`). Anything else:
 * undefined.
 */
export function notFoundAt(url: URL, error: unknown): Error | undefined {
  if (!(error instanceof HttpResponseError) || error.status !== 404) return undefined
  error.message =
    `HTTP 404: path "${url.pathname}" not found at ${url.origin} (no MCP endpoint there; ` +
    "check the URL's path, or `path` for a spawned server)"
  return error
}
