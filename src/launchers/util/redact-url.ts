// A URL as messages, timelines and reports may print it: query and fragment values (an `api_key`,
// a token) and any credentials replaced by `***`, names and the rest kept for finding the server.

const HIDDEN = '***'

/** `name=value&name2` → `name=***&***`: each part's name kept, every value (or bare token) hidden. */
function hideValues(part: string): string {
  return part
    .split('&')
    .map((pair) => {
      if (pair === '') return pair
      const equals = pair.indexOf('=')
      return equals === -1 ? HIDDEN : `${pair.slice(0, equals)}=${HIDDEN}`
    })
    .join('&')
}

/**
 * `url` with what may be secret hidden: `https://api.example.com/mcp?api_key=***`. Text that is no
 * URL loses everything from its first `?` or `#`, and anything before an `@`.
 *
 * @example
 * redactUrl('https://u:p@example.com/mcp?key=abc#t=1') // 'https://***@example.com/mcp?key=***#t=***'
 */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url.replace(/^[^?#]*@/, `${HIDDEN}@`).replace(/[?#].*$/s, `?${HIDDEN}`)
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = HIDDEN
    parsed.password = ''
  }
  if (parsed.search !== '') parsed.search = hideValues(parsed.search.slice(1))
  if (parsed.hash !== '') parsed.hash = hideValues(parsed.hash.slice(1))
  return parsed.href
}
