// Record and replay with the raw parts the host is built of: a v2 Client connected through a WireTap,
// the recorder on the tap; the replay is the same client and tap around a ReplayTransport.
import { readdirSync, readFileSync } from 'node:fs'
import { type Client, InMemoryTransport, type Transport } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { serveStdio } from '@modelcontextprotocol/server/stdio'
import type { Cassette } from '../../src/cassette/format.js'
import { recordCassette } from '../../src/cassette/recorder.js'
import type { RedactRule } from '../../src/cassette/redact.js'
import { type ReplayTransport, replayCassette } from '../../src/cassette/replay.js'
import { WireTap } from '../../src/wire/tap.js'
import { makeV2Server } from '../wire/fixtures/v2-server.mjs'
import { hostClient } from '../wire/live.js'

export type Mode = 'legacy' | { pin: string }
export const MODES: ReadonlyArray<{ revision: string; mode: Mode }> = [
  { revision: '2025-11-25', mode: 'legacy' },
  { revision: '2026-07-28', mode: { pin: '2026-07-28' } },
]

/** The v2 fixture server in this thread (its own transport pair: a real server, no process). */
export function v2Server(): { transport: Transport; close(): Promise<void> } {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  const served = serveStdio(() => makeV2Server(), { transport: serverSide })
  return { transport: clientSide, close: () => served.close() }
}

/** A server spawned over stdio by the SDK's transport (closing the client stops it). */
export function stdioServer(args: string[]): { transport: Transport; close(): Promise<void> } {
  return {
    transport: new StdioClientTransport({ command: process.execPath, args, stderr: 'pipe' }),
    close: async () => {},
  }
}

/** Runs `body` against `server` through a recording tap; returns the cassette. */
export async function record<T>(
  server: { transport: Transport; close(): Promise<void> },
  mode: Mode,
  body: (client: Client) => Promise<T>,
  redact?: RedactRule[],
): Promise<{ cassette: Cassette; value: T }> {
  const tap = new WireTap(server.transport)
  const recorder = recordCassette({ server: 's', test: 'a test', ...(redact && { redact }) })
  tap.listen(recorder)
  const client = hostClient(mode)
  try {
    await client.connect(tap)
    const value = await body(client)
    return { cassette: recorder.cassette(), value }
  } finally {
    await client.close()
    await server.close()
  }
}

/** Runs `body` against a replay of `cassette` (a client of its own: `client` to answer differently). */
export async function replay<T>(
  cassette: Cassette,
  mode: Mode,
  body: (client: Client, replay: ReplayTransport) => Promise<T>,
  options: { client?: Client; redact?: RedactRule[] } = {},
): Promise<T> {
  const transport = replayCassette(cassette, {
    server: 's',
    file: 'the.json',
    ...(options.redact && { redact: options.redact }),
  })
  const client = options.client ?? hostClient(mode)
  try {
    await client.connect(new WireTap(transport))
    return await body(client, transport)
  } finally {
    await client.close()
  }
}

/** Pids of this process's children now (read from /proc: what a replay must not add to). */
export function childPids(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid) pids.push(Number(entry))
    } catch {
      // It exited while we read: not a child any more.
    }
  }
  return pids
}
