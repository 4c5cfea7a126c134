// A stand-in for a third-party MCP server built on SDK v2 (`@modelcontextprotocol/server` 2.x), as a
// user writes one from the SDK's public API only: tools, prompts, resources, a resource template with
// completion, logging, a subscribable resource, and one tool per multi-round-trip kind (form and URL
// elicitation, sampling, roots). One factory serves both protocol revisions: on 2026-07-28 the
// `inputRequired(...)` answers travel as `input_required` results; on 2025-11-25 the SDK's legacy shim
// turns them into server→client requests. Plain .mjs so Node 20 runs it without a TypeScript step.
import { EventEmitter } from 'node:events'
import {
  acceptedContent,
  inputRequired,
  inputResponse,
  McpServer,
  ResourceTemplate,
} from '@modelcontextprotocol/server'
import * as z from 'zod/v4'

export const COUNTER_URI = 'note://counter'
export const README_URI = 'note://readme'
const ITEMS = { 1: 'apples', 2: 'bread', 3: 'cheese' }

/**
 * What the server instances of one process share (over HTTP every request gets a fresh instance): the
 * counter behind `note://counter`, and an event per change of a resource.
 */
export function createStore() {
  const changes = new EventEmitter()
  let count = 0
  return {
    changes,
    get count() {
      return count
    },
    touch() {
      count += 1
      changes.emit('updated', COUNTER_URI)
      return count
    },
  }
}

const text = (value) => ({ content: [{ type: 'text', text: value }] })
const CONFIRM = z.object({ confirm: z.boolean().describe('Go ahead?') })

function registerTools(server, store) {
  server.registerTool(
    'echo',
    { description: 'Echoes the message back.', inputSchema: z.object({ message: z.string() }) },
    ({ message }) => text(`Echo: ${message}`),
  )
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers; the sum is structured.',
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      outputSchema: z.object({ sum: z.number() }),
      annotations: { readOnlyHint: true },
    },
    ({ a, b }) => ({ ...text(JSON.stringify({ sum: a + b })), structuredContent: { sum: a + b } }),
  )
  server.registerTool(
    'log',
    {
      description: 'Sends a log message at the given level (if the client asked for that level).',
      inputSchema: z.object({ message: z.string(), level: z.enum(['debug', 'info', 'warning', 'error']) }),
    },
    async ({ message, level }, ctx) => {
      await ctx.mcpReq.log(level, message, 'v2-everything')
      return text(`logged at ${level}`)
    },
  )
  server.registerTool(
    'touch',
    { description: `Changes ${COUNTER_URI} (subscribers are notified).`, inputSchema: z.object({}) },
    () => text(`count is ${store.touch()}`),
  )
  server.registerTool(
    'confirm',
    {
      description: 'Asks the user to confirm (form elicitation).',
      inputSchema: z.object({ action: z.string() }),
    },
    ({ action }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm')
      if (answer.kind === 'missing') {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({ message: `${action}?`, requestedSchema: CONFIRM }),
          },
        })
      }
      const yes = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', CONFIRM)?.confirm === true
      return text(yes ? `${action}: confirmed` : `${action}: not confirmed (${answer.action})`)
    },
  )
  server.registerTool(
    'sign-in',
    { description: 'Sends the user to a sign-in page (URL elicitation).', inputSchema: z.object({}) },
    (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'login')
      if (answer.kind === 'elicit') return text(`sign-in: ${answer.action}`)
      return inputRequired({
        inputRequests: {
          login: inputRequired.elicitUrl({ message: 'Sign in', url: 'https://example.com/login' }),
        },
      })
    },
  )
  server.registerTool(
    'ask-model',
    {
      description: 'Asks the client’s model a question (sampling).',
      inputSchema: z.object({ question: z.string() }),
    },
    ({ question }, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'answer')
      if (answer.kind === 'sampling') {
        const { content, model } = answer.result
        return text(`${model} says: ${content.type === 'text' ? content.text : `(${content.type})`}`)
      }
      return inputRequired({
        inputRequests: {
          answer: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: question } }],
            maxTokens: 50,
          }),
        },
      })
    },
  )
  server.registerTool(
    'list-roots',
    { description: 'Lists the client’s roots.', inputSchema: z.object({}) },
    (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'roots')
      if (answer.kind === 'roots') return text(answer.roots.map((r) => r.uri).join(', ') || '(no roots)')
      return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } })
    },
  )
}

function registerContent(server, store) {
  server.registerPrompt(
    'greeting',
    { description: 'Greets someone.', argsSchema: z.object({ name: z.string() }) },
    ({ name }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name}.` } }],
    }),
  )
  server.registerPrompt('status', { description: 'Asks for a status report.' }, () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'How are things?' } }],
  }))
  server.registerResource('readme', README_URI, { mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This server stands in for a third party.' }],
  }))
  server.registerResource('counter', COUNTER_URI, { mimeType: 'application/json' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ count: store.count }) }],
  }))
  const items = new ResourceTemplate('note://items/{id}', {
    list: () => ({
      resources: Object.entries(ITEMS).map(([id, name]) => ({ uri: `note://items/${id}`, name })),
    }),
    complete: { id: (value) => Object.keys(ITEMS).filter((id) => id.startsWith(value)) },
  })
  server.registerResource('item', items, { mimeType: 'text/plain' }, (uri, { id }) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: ITEMS[id] ?? 'unknown item' }],
  }))
}

/**
 * The 2025-11-25 subscription methods (2026-07-28 has `subscriptions/listen` instead, served by the
 * SDK's entries): this instance notifies of the URIs its client subscribed to, until it closes.
 */
function serveLegacySubscriptions(server, store) {
  const subscribed = new Set()
  server.server.setRequestHandler('resources/subscribe', (request) => {
    subscribed.add(request.params.uri)
    return {}
  })
  server.server.setRequestHandler('resources/unsubscribe', (request) => {
    subscribed.delete(request.params.uri)
    return {}
  })
  const onUpdated = (uri) => {
    if (subscribed.has(uri)) server.server.sendResourceUpdated({ uri }).catch(() => {})
  }
  store.changes.on('updated', onUpdated)
  server.server.onclose = () => store.changes.off('updated', onUpdated)
}

/**
 * A new server instance for `era` ('legacy' | 'modern', what the SDK's serving entries pass). With
 * `forwardUpdates` (a modern instance living as long as its connection, as on stdio) every change is
 * sent as `notifications/resources/updated`, which the SDK's stdio entry routes onto the open
 * `subscriptions/listen` streams that asked for that URI.
 */
export function createEverything(store, { era, forwardUpdates = false }) {
  const server = new McpServer(
    { name: 'v2-everything', version: '2.0.0' },
    { capabilities: { logging: {}, resources: { subscribe: true } } },
  )
  registerTools(server, store)
  registerContent(server, store)
  if (era === 'legacy') serveLegacySubscriptions(server, store)
  else if (forwardUpdates) {
    const onUpdated = (uri) => server.server.sendResourceUpdated({ uri }).catch(() => {})
    store.changes.on('updated', onUpdated)
    server.server.onclose = () => store.changes.off('updated', onUpdated)
  }
  return server
}
