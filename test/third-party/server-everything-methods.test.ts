// ping, complete, subscribe/unsubscribeResource and waitForNotification against a real third-party
// server: @modelcontextprotocol/server-everything over stdio. It declares completions and resource
// subscriptions, and logs a message for each subscribe and unsubscribe it receives.
import { describe, expect, test } from 'vitest'
import { NotOfferedError, ToolNotFoundError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import type { HostNotification } from '../../src/host/records/notifications.js'
import { markEnv, markedPids, markedServers } from '../launchers/process-helpers.js'
import { everythingServer } from '../support/server-everything.js'

const newMark = markedServers()
const logged = (text: string) => (n: HostNotification) => JSON.stringify(n.params ?? null).includes(text)

describe('server-everything (stdio): the methods users reach for', () => {
  test('ping, completions for a prompt and a template, a subscription waited on, then ended', async () => {
    const mark = newMark('everything-methods')
    const host = await HostManager.start({
      servers: { everything: everythingServer('stdio', markEnv(mark)) },
      requestTimeout: 10_000,
    })
    try {
      await host.ping()
      await host.ping({ server: 'everything', timeout: 5000 })

      const prompt = { type: 'ref/prompt', name: 'completable-prompt' } as const
      const departments = await host.complete(prompt, { name: 'department', value: 'S' })
      expect(departments.completion.values).toEqual(['Sales', 'Support'])
      const leads = await host.complete(
        prompt,
        { name: 'name', value: '' },
        { context: { arguments: { department: 'Engineering' } } },
      )
      expect(leads.completion.values).toEqual(['Alice', 'Bob', 'Charlie'])
      const template = { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' } as const
      expect((await host.complete(template, { name: 'resourceId', value: '7' })).completion.values).toEqual([
        '7',
      ])

      const uri = 'demo://resource/dynamic/text/7'
      await host.subscribeResource(uri)
      const subscribed = await host.waitForNotification({
        method: 'notifications/message',
        where: logged(`Received Subscribe Resource request for URI: ${uri}`),
      })
      expect(subscribed.server).toBe('everything')
      await host.unsubscribeResource(uri)
      await host.waitForNotification({
        server: 'everything',
        where: logged(`Received Unsubscribe Resource request: ${uri}`),
      })

      const unknown = await Promise.allSettled([
        host.complete({ type: 'ref/prompt', name: 'no-such-prompt' }, { name: 'x', value: '' }),
        host.readResource('elsewhere://nothing'),
      ])
      const [prompted, resourced] = unknown.map((r) => (r.status === 'rejected' ? r.reason : r.value))
      expect(prompted).toBeInstanceOf(NotOfferedError)
      expect(prompted).not.toBeInstanceOf(ToolNotFoundError)
      expect(prompted).toMatchObject({ kind: 'prompt', requested: 'no-such-prompt' })
      expect(resourced).toMatchObject({ name: 'NotOfferedError', kind: 'resource' })
    } finally {
      await host.shutdown()
    }
    expect(markedPids(mark)).toEqual([])
  })
})
