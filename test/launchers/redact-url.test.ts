import { describe, expect, test } from 'vitest'
import { redactUrl } from '../../src/launchers/util/redact-url.js'

describe('redactUrl', () => {
  test.each([
    ['https://api.example.com/mcp?api_key=sk-123', 'https://api.example.com/mcp?api_key=***'],
    ['http://x.test/mcp?a=1&token&b=', 'http://x.test/mcp?a=***&***&b=***'],
    ['https://u:p@example.com/mcp?key=abc#t=1', 'https://***@example.com/mcp?key=***#t=***'],
    ['http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/mcp'],
    ['http://x.test/?', 'http://x.test/?'],
    ['not a url?key=secret', 'not a url?***'],
    ['//user:secret@host/mcp?k=v', '***@host/mcp?***'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted)
  })
})
