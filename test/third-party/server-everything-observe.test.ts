// The host's observing side against @modelcontextprotocol/server-everything 2026.8.31, on stdio and
// spawned Streamable HTTP: logging after setLoggingLevel, progress, resource subscriptions, and its
// task-required tool (simulate-research-query) called as a task.
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import { describe, expect, test } from 'vitest'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { everythingServer } from '../support/server-everything.js'

const configs: Record<string, ServerConfig> = {
  stdio: everythingServer('stdio'),
  http: everythingServer('http'),
}

function textOf(result: unknown): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>
  return first?.type === 'text' ? (first.text ?? '') : ''
}

describe.each(Object.keys(configs))('server-everything over %s', (transport) => {
  test('logging, progress, subscriptions and a task-required tool', async () => {
    const host = await HostManager.start({ servers: { everything: configs[transport] as ServerConfig } })
    try {
      // The task (4 stages of 1 s) runs while the rest is checked.
      const research = host.callTool('simulate-research-query', { topic: 'otters' }, { timeout: 20_000 })

      // Logging: nothing is sent below the level; 'debug' lets every message through.
      await host.setLoggingLevel('debug')
      expect(textOf(await host.callTool('toggle-simulated-logging'))).toContain('Started')
      const message = await host.waitForNotification(
        { server: 'everything', method: 'notifications/message' },
        { timeout: 5000 },
      )
      expect(message.server).toBe('everything')
      expect(message.params).toMatchObject({ level: expect.any(String), data: expect.any(String) })
      await host.callTool('toggle-simulated-logging')

      // Progress: one callback per step, in order, then the result.
      const seen: unknown[] = []
      const done = await host.callTool(
        'trigger-long-running-operation',
        { duration: 0.3, steps: 3 },
        { onProgress: (p) => seen.push(p) },
      )
      expect(textOf(done)).toBe('Long running operation completed. Duration: 0.3 seconds, Steps: 3.')
      expect(seen).toEqual([1, 2, 3].map((progress) => ({ progress, total: 3 })))
      expect(host.notifications({ method: 'notifications/progress' })).toHaveLength(3)

      // Subscriptions: a template URI routes like readResource; updates land in notifications().
      const uri = 'demo://resource/dynamic/text/1'
      await host.subscribeResource(uri)
      await host.callTool('toggle-subscriber-updates')
      const updated = await host.waitForNotification(
        { server: 'everything', method: 'notifications/resources/updated' },
        { timeout: 5000 },
      )
      expect(updated.params).toEqual({ uri })
      await host.callTool('toggle-subscriber-updates')

      // A timeout smaller than the task rejects within it (the polling is bounded by it).
      const started = performance.now()
      const error = await host
        .callTool('simulate-research-query', { topic: 'beavers' }, { timeout: 500 })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      expect(error).toBeInstanceOf(SdkError)
      expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout)
      expect(performance.now() - started).toBeLessThan(1500)

      const report = await research
      expect(report.isError).not.toBe(true)
      expect(textOf(report)).toContain('otters')
      expect(textOf(report)).toContain('Research Report')
    } finally {
      await host.shutdown()
    }
    expect(host.pendingRequests).toEqual([])
  }, 30_000)
})
