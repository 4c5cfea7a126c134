// The identity this library announces to servers in `initialize` (kept equal to package.json by a test).
export const HOST_INFO = { name: 'vitest-mcp-host', version: '0.2.0' } as const
